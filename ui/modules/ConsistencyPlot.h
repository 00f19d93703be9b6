#pragma once
// QCustomPlot graph of module consistency against K (Besserve et al.): the mean cosine similarity of
// matched templates from two independent sets of pairs, for NMF and for k-means on the same maps.
// The QCustomPlot stays out of this header (see ModulePlot.h).
#include "lx/ModuleConsistency.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPTextElement;

namespace lx::ui {

class ConsistencyPlot : public QWidget {
    Q_OBJECT
public:
    explicit ConsistencyPlot(QWidget* parent);

    // The curve, under `title`.
    void setPoints(const std::vector<lx::ConsistencyPoint>& points, const QString& title);
    // No curve; `placeholder` says why.
    void clear(const QString& placeholder);

    // What is drawn (for tests): K values and the two curves.
    QVector<double> ks() const;
    QVector<double> nmfValues() const;
    QVector<double> kmeansValues() const;
    QCustomPlot* canvas() const { return mPlot; }

    QSize sizeHint() const override { return {360, 240}; }
    QSize minimumSizeHint() const override { return {200, 160}; }

private:
    void setTitle(const QString& text, bool placeholder);

    QCustomPlot* mPlot = nullptr;
    QCPTextElement* mTitle = nullptr;
};

} // namespace lx::ui
