#pragma once
// The response-map quad of Leeb et al. (NeurIPS 2022) for one 2-D latent slice (QCustomPlot): four
// square maps over [-r, r]^2 with y pointing up, each with its colour scale:
//   magnitude |R(z) - z| (magma) with a quiver overlay of the field u = R(z) - z,
//   divergence (blue-white-red; the negative and the positive ranges normalised separately onto
//     [-1, 0] and [0, 1], the scale's ticks labelled with the real values),
//   mean curvature (blue-white-red, symmetric around 0, clipped at the 98th percentile of |value|),
//   the 2-D histogram of posterior means (magma), when there were data.
// Clicking a map emits pointClicked with the latent coordinates (z_x, z_y) of that point; a marker and
// a path (iterated responses) can be drawn on all four maps.
//
// QCustomPlot stays out of this header (see ModulePlot.h).
#include "ui/responses/ResponseTypes.h"

#include <QPointF>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPColorMap;
class QCPColorScale;
class QMouseEvent;

namespace lx::ui {

class ResponseMapQuad : public QWidget {
    Q_OBJECT
public:
    enum class Panel { Magnitude = 0, Divergence = 1, Curvature = 2, Histogram = 3 };
    static constexpr int kPanels = 4;
    static constexpr int kArrowsPerAxis = 16;
    static constexpr double kCurvatureQuantile = 0.98; // the curvature's colours clip above this |value|

    explicit ResponseMapQuad(QWidget* parent);

    void setData(const ResponseMapData& data);
    void clearData(const QString& placeholder);
    bool hasData() const { return !mData.axis.isEmpty(); }
    const ResponseMapData& data() const { return mData; }

    // A marker at (z_x, z_y) on every map; a point with a NaN coordinate removes it.
    void setMarker(const QPointF& point);
    // A polyline through the points (z_x, z_y) with dots at the points, on every map; empty: none.
    void setPath(const QVector<QPointF>& path);
    QVector<QPointF> path() const { return mPath; }

    // The value drawn at grid cell (row, col) (row 0 = y = -r): for the divergence the normalised
    // value in [-1, 1], for the histogram a bin count (row, col in bins). NaN outside.
    double shownValue(Panel panel, int row, int col) const;
    // The colour scale's range of a panel.
    QPair<double, double> scaleRange(Panel panel) const;
    int arrowCount() const { return mArrowCount; }
    bool histogramShown() const;
    // Canvas pixel of latent coordinates on a panel, and back (inside = on that panel's map).
    QPoint pixelOf(Panel panel, const QPointF& latent) const;
    QPointF latentAt(const QPoint& canvasPos, bool* inside) const;
    QWidget* canvas() const;
    QCustomPlot* plot() const { return mPlot; }

    bool savePlot(const QString& path, QString* error);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override { return {640, 600}; }

Q_SIGNALS:
    void pointClicked(const QPointF& latent);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void reset();
    QCPAxisRect* addPanel(int row, int col, const QString& title, QCPColorScale** scale);
    QCPColorMap* addMap(QCPAxisRect* rect, QCPColorScale* scale, const QVector<float>& values, int size, double extent);
    void addQuiver(QCPAxisRect* rect);
    void keepSquare();
    void redrawOverlays();
    void onMousePress(QMouseEvent* event);

    QCustomPlot* mPlot = nullptr;
    ResponseMapData mData;
    QVector<QCPAxisRect*> mRects; // per Panel
    QVector<QCPColorMap*> mMaps; // per Panel (nullptr: histogram absent)
    QVector<QCPColorScale*> mScales; // per Panel
    QPointF mMarker{qQNaN(), qQNaN()};
    QVector<QPointF> mPath;
    int mArrowCount = 0;
};

} // namespace lx::ui
