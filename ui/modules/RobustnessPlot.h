#pragma once
// QCustomPlot bars of the hybrid robustness assay (Besserve et al.): per module, the fraction of
// hybrids the classifier still assigns x(z1)'s class ("kept", the sample that keeps the rest) next to
// the fraction assigned x(z2)'s class ("donor", the sample that gave the module). The QCustomPlot
// stays out of this header (see ModulePlot.h).
#include "lx/RobustnessAssay.h"

#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPTextElement;

namespace lx::ui {

class RobustnessPlot : public QWidget {
    Q_OBJECT
public:
    explicit RobustnessPlot(QWidget* parent);

    // Bars for each module of `result`; `differingOnly`: the fractions over the pairs whose originals
    // get different classes (where kept and donor exclude each other).
    void setResult(const lx::RobustnessResult& result, bool differingOnly, const QString& title);
    void clear(const QString& placeholder);

    // What is drawn (for tests).
    QVector<double> keptValues() const;
    QVector<double> donorValues() const;
    QStringList tickLabels() const;
    QCustomPlot* canvas() const { return mPlot; }

    QSize sizeHint() const override { return {560, 340}; }
    QSize minimumSizeHint() const override { return {240, 180}; }

private:
    void setTitle(const QString& text, bool placeholder);

    QCustomPlot* mPlot = nullptr;
    QCPBars* mKept = nullptr;
    QCPBars* mDonor = nullptr;
    QCPTextElement* mTitle = nullptr;
    QStringList mTicks;
};

} // namespace lx::ui
