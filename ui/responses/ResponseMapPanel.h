#pragma once
// The "Response map" tab: the slice (dim X horizontal, dim Y vertical, grid n, radius r, base point =
// the prior sample of a seed) and the ResponseMapQuad. Clicking a point of the maps decodes it (x(z)
// and x(R(z)) beside the maps) and iterates the response from there, z -> R(z) -> R(R(z)) ..., drawn as
// a path on the maps and as a decoded strip. ResponsesView runs the map's batch task; the clicks run
// as interactive tasks (newest wins) on the same worker.
#include "ui/responses/ResponseTypes.h"
#include "ui/compute/WorkerTypes.h"

#include <QJsonObject>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace lx::ui {

class ComputeController;
class ExportMenu;
class ImageStrips;
class ImageView;
class ResponseMapQuad;
class ViewSettings;

class ResponseMapPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultGrid = 64; // the paper's default (100 for 3D-Shapes)
    static constexpr int kDefaultSteps = 8;
    static constexpr const char* kPointKey = "responses/map-point";

    ResponseMapPanel(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary, int latentSize);
    ResponseMapRequest request() const;
    void setDims(int dimX, int dimY);
    void showMap(const ResponseMapData& data);
    // Decodes the point (z_x, z_y) of the shown slice and iterates its response, as a click does.
    void probeAt(const QPointF& latent);

    const IteratedResponses& iterated() const { return mIterated; }
    ResponseMapQuad* quad() const { return mQuad; }
    ImageView* pointView() const { return mPointView; }
    ImageView* responseView() const { return mResponseView; }
    ImageStrips* iterateStrip() const { return mStrip; }
    // Its part of the session's view object (ResponsesView::sessionJson); restore keeps what a key lacks.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);
    QSpinBox* dimXBox() const { return mDimX; }
    QSpinBox* dimYBox() const { return mDimY; }
    QSpinBox* gridBox() const { return mGrid; }
    QDoubleSpinBox* radiusBox() const { return mRadius; }
    QSpinBox* baseSeedBox() const { return mBaseSeed; }
    QSpinBox* stepsBox() const { return mSteps; }
    QPushButton* computeButton() const { return mCompute; }
    ExportMenu* exportMenu() const { return mExport; }
    QString statusText() const;

Q_SIGNALS:
    void computeRequested();
    void pointShown(); // the decoded point and its iterated responses arrived
    void message(const QString& text);

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void onLatest(const QString& key, quint64 seq, const QVariant& result);
    void onLatestFailed(const QString& key, quint64 seq, const QString& error);
    void showIterated(const IteratedResponses& result);
    QMap<QString, lx::Array> arrays() const;

    ComputeController* mController;
    quint64 mGeneration = 0;
    quint64 mFirstSeq = 0; // results of older posts belong to the previous model
    int mLatentSize = 0;
    QPointF mPoint;
    IteratedResponses mIterated;

    QSpinBox* mDimX = nullptr;
    QSpinBox* mDimY = nullptr;
    QSpinBox* mGrid = nullptr;
    QDoubleSpinBox* mRadius = nullptr;
    QSpinBox* mBaseSeed = nullptr;
    QSpinBox* mSteps = nullptr;
    QPushButton* mCompute = nullptr;
    QToolButton* mExportButton = nullptr;
    ExportMenu* mExport = nullptr;
    QLabel* mStatus = nullptr;
    ResponseMapQuad* mQuad = nullptr;
    ImageView* mPointView = nullptr;
    ImageView* mResponseView = nullptr;
    ImageStrips* mStrip = nullptr;
};

} // namespace lx::ui
