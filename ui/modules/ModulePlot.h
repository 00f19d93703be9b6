#pragma once
// QCustomPlot view of a module-discovery result: one heatmap per module in two sections, the
// templates (rows of H for NMF, centroids for k-means; each scaled to a maximum of 1) and the
// module influence maps, each section with its colour scale. The module maps are the real group
// influence maps (the whole module swapped, InfluenceEngine::groupMap) once setGroupMaps gives them;
// until then the section shows the mean of the member channels' EIMs and says so in its title.
// Pixels stay square. Clicking a module's heatmap emits moduleClicked.
//
// The QCustomPlot inside is kept out of this header: qcustomplot.h uses the `signals` and `foreach`
// keywords that QT_NO_KEYWORDS switches off, so only ModulePlot.cpp includes it (with shims).
#include "ui/compute/WorkerTypes.h"
#include "ui/modules/ModuleTypes.h"

#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPMarginGroup;
class QMouseEvent;

namespace lx::ui {

class ModulePlot : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxColumns = 4;
    static constexpr int kMaxTileSide = 150; // heatmaps grow with the width up to this
    static constexpr int kScaleWidth = 64; // a colour scale with its labels
    static constexpr int kMaxHeight = 700;

    explicit ModulePlot(QWidget* parent);

    void setResult(const ModulesResult& result);
    // The group influence maps of the result's modules, [k, height * width], over `pairs` pairs.
    void setGroupMaps(const QVector<float>& maps, int pairs);
    bool hasGroupMaps() const { return !mGroupMaps.isEmpty(); }
    QString mapsTitle() const { return mMapsTitle; }
    void clearResult();
    // Frames module `module` (-1: none); emits nothing.
    void setHighlightedModule(int module);
    int highlightedModule() const { return mHighlighted; }

    int moduleCount() const { return static_cast<int>(mTemplateRects.size()); }
    int moduleAt(const QPointF& pos) const; // -1 when not on a heatmap
    // Where a module's template is drawn, in canvas() coordinates (for tests).
    QRect templateRect(int module) const;
    QWidget* canvas() const; // the QCustomPlot widget that receives the clicks

    // Tall enough for square heatmaps at this width (the table below takes the rest).
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override { return {380, heightForWidth(380)}; }
    QSize minimumSizeHint() const override { return {200, 60}; }

Q_SIGNALS:
    void moduleClicked(int module);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void onMousePress(QMouseEvent* event);
    // One section: a title, a grid of heatmaps (one per module) and a colour scale.
    QVector<QCPAxisRect*> addSection(int row, const QString& title, const QString& scaleLabel,
                                     const QVector<float>& values, double high, bool perModuleMax);
    void render();
    void keepPixelsSquare();
    void styleFrame(QCPAxisRect* rect, bool highlighted);

    QCustomPlot* mPlot = nullptr;
    ModulesResult mResult;
    QVector<float> mGroupMaps;
    int mGroupPairs = 0;
    QString mMapsTitle;
    QVector<QCPAxisRect*> mTemplateRects;
    QVector<QCPAxisRect*> mMapRects;
    QVector<QCPMarginGroup*> mGroups;
    int mHighlighted = -1;
};

} // namespace lx::ui
