#pragma once
// QCustomPlot bars of action retrieval (CT-VAE, Gendron et al., IJCAI 2023): p(a | x, y) over the A
// actions, the true action's bar in the accent colour and marked "true", the predicted one's value
// written above it. The QCustomPlot stays out of this header (see ModulePlot.h).
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPTextElement;

namespace lx::ui {

class VqRetrievalPlot : public QWidget {
    Q_OBJECT
public:
    explicit VqRetrievalPlot(QWidget* parent);

    // `trueAction` -1: unknown (y is not one step from x).
    void setProbabilities(const QVector<double>& p, const QStringList& actions, int trueAction, const QString& title);
    void clear(const QString& placeholder);

    // What is drawn (for tests): every bar's value, in action order, and the marked true action.
    QVector<double> values() const;
    int markedAction() const { return mTrue; }
    QStringList tickLabels() const { return mTicks; }
    QCustomPlot* canvas() const { return mPlot; }
    bool savePlot(const QString& path, QString* error);

    QSize sizeHint() const override { return {420, 260}; }
    QSize minimumSizeHint() const override { return {220, 170}; }

private:
    void setTitle(const QString& text, bool placeholder);

    QCustomPlot* mPlot = nullptr;
    QCPBars* mBars = nullptr;
    QCPBars* mTrueBar = nullptr;
    QCPTextElement* mTitle = nullptr;
    QVector<double> mValues;
    QStringList mTicks;
    int mTrue = -1;
};

} // namespace lx::ui
