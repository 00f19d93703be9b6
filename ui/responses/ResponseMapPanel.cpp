#include "ui/responses/ResponseMapPanel.h"

#include "ui/compute/ComputeController.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/responses/ResponseMapQuad.h"
#include "ui/responses/ResponseTasks.h"
#include "ui/widgets/ViewSettings.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace lx::ui {

ResponseMapPanel::ResponseMapPanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    mDimX = new QSpinBox(this);
    mDimY = new QSpinBox(this);
    mDimX->setToolTip(tr("Latent dimension on the horizontal axis"));
    mDimY->setToolTip(tr("Latent dimension on the vertical axis (y points up)"));
    mGrid = new QSpinBox(this);
    mGrid->setRange(4, 256);
    mGrid->setValue(kDefaultGrid);
    mGrid->setToolTip(tr("Grid points per axis (the paper: 64; 100 for 3D-Shapes)"));
    mRadius = new QDoubleSpinBox(this);
    mRadius->setRange(0.1, 20.0);
    mRadius->setSingleStep(0.5);
    mRadius->setValue(2.0);
    mRadius->setToolTip(tr("The grid spans [−r, r] on both axes"));
    mBaseSeed = new QSpinBox(this);
    mBaseSeed->setRange(0, std::numeric_limits<int>::max());
    mBaseSeed->setToolTip(tr("The base point (every other dimension) is the prior sample of this seed"));
    mCompute = new QPushButton(tr("Compute Map"), this);
    mCompute->setToolTip(
        tr("Response field, divergence, curvature and posterior histogram on the slice "
           "(Ctrl+Shift+M)"));
    mCompute->setAutoDefault(false);
    mSteps = new QSpinBox(this);
    mSteps->setRange(1, 64);
    mSteps->setValue(kDefaultSteps);
    mSteps->setToolTip(tr("Iterated responses z → R(z) → R(R(z)) … from a clicked point"));
    mExportButton = new QToolButton(this);
    mExportButton->setText(tr("Export"));
    mExportButton->setPopupMode(QToolButton::InstantPopup);
    mExport = new ExportMenu(tr("Export"), this);
    mExport->addPlot(QStringLiteral("response-map"),
                     [this](const QString& path, QString* error) { return mQuad->savePlot(path, error); });
    mExport->addArrays(QStringLiteral("response-map"), [this] { return arrays(); });
    mExportButton->setMenu(mExport);
    bar->addWidget(new QLabel(tr("X"), this));
    bar->addWidget(mDimX);
    bar->addWidget(new QLabel(tr("Y"), this));
    bar->addWidget(mDimY);
    bar->addWidget(new QLabel(tr("Grid"), this));
    bar->addWidget(mGrid);
    bar->addWidget(new QLabel(tr("Radius"), this));
    bar->addWidget(mRadius);
    bar->addWidget(new QLabel(tr("Base seed"), this));
    bar->addWidget(mBaseSeed);
    bar->addWidget(mCompute);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Iterate"), this));
    bar->addWidget(mSteps);
    bar->addWidget(mExportButton);
    bar->addStretch(1);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    mQuad = new ResponseMapQuad(split);
    auto* side = new QWidget(split);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    mPointView = new ImageView(tr("x(z) at the clicked point"), side);
    mPointView->setPlaceholderText(tr("Click a map to decode that point"));
    mResponseView = new ImageView(tr("x(R(z))"), side);
    mResponseView->setPlaceholderText(tr("The decoded response"));
    sideLayout->addWidget(mPointView, 1);
    sideLayout->addWidget(mResponseView, 1);
    split->addWidget(mQuad);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    mStatus = new QLabel(this);
    mStatus->setWordWrap(true); // a long line must not widen the view
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mStatus);
    mStrip = new ImageStrips(this);
    mStrip->clear(tr("Iterated responses from the clicked point appear here"));
    layout->addWidget(mStrip);

    connect(mCompute, &QPushButton::clicked, this, &ResponseMapPanel::computeRequested);
    connect(mQuad, &ResponseMapQuad::pointClicked, this, &ResponseMapPanel::probeAt);
    connect(mExport, &ExportMenu::message, this, &ResponseMapPanel::message);
    setModel(ModelSummary(), 0);
}

void ResponseMapPanel::setModel(const ModelSummary& summary, int latentSize)
{
    mGeneration = summary.generation;
    mFirstSeq = mController->nextTaskId();
    mLatentSize = latentSize;
    const int top = std::max(0, latentSize - 1);
    mDimX->setRange(0, top);
    mDimY->setRange(0, top);
    setDims(0, std::min(1, top));
    mIterated = IteratedResponses();
    mQuad->clearData(latentSize >= 2 ? tr("Compute the response map of a slice (Ctrl+Shift+M)")
                                     : tr("A response map needs at least two latent dimensions"));
    mCompute->setEnabled(latentSize >= 2);
    mPointView->clear();
    mResponseView->clear();
    mStrip->clear(tr("Iterated responses from the clicked point appear here"));
    mStatus->clear();
}

void ResponseMapPanel::setDims(int dimX, int dimY)
{
    mDimX->setValue(dimX);
    mDimY->setValue(dimY);
}

ResponseMapRequest ResponseMapPanel::request() const
{
    ResponseMapRequest request;
    request.dimX = mDimX->value();
    request.dimY = mDimY->value();
    request.grid = mGrid->value();
    request.radius = mRadius->value();
    request.baseSeed = static_cast<quint64>(mBaseSeed->value());
    return request;
}

void ResponseMapPanel::showMap(const ResponseMapData& data)
{
    mQuad->setData(data);
    mIterated = IteratedResponses();
    mPointView->clear();
    mResponseView->clear();
    mStrip->clear(tr("Click a map: its point is decoded and its responses iterated"));
    mStatus->setText(tr("z%1 × z%2 through the prior sample of seed %3 · %4×%4 grid over [−%5, %5]² · %6 · %7 s")
                         .arg(data.request.dimX)
                         .arg(data.request.dimY)
                         .arg(data.request.baseSeed)
                         .arg(data.request.grid)
                         .arg(data.request.radius)
                         .arg(data.histogramNote)
                         .arg(data.computeMs / 1000.0, 0, 'f', 1));
}

void ResponseMapPanel::probeAt(const QPointF& latent)
{
    const ResponseMapData& data = mQuad->data();
    if (!mQuad->hasData() || data.base.size() != mLatentSize)
        return;
    mPoint = latent;
    QVector<float> z = data.base;
    z[data.request.dimX] = static_cast<float>(latent.x());
    z[data.request.dimY] = static_cast<float>(latent.y());
    mQuad->setMarker(latent);
    mController
        ->run(Task::onModel(tr("decode map point"), ResponseTasks::iterateTask(z, mSteps->value()), mGeneration)
                  .latest(QLatin1String(kPointKey)))
        ->deliverTo(this, &ResponseMapPanel::onLatest, &ResponseMapPanel::onLatestFailed);
}

void ResponseMapPanel::onLatest(const QString& key, quint64 seq, const QVariant& result)
{
    if (key != QLatin1String(kPointKey) || seq < mFirstSeq || !result.canConvert<IteratedResponses>())
        return;
    showIterated(result.value<IteratedResponses>());
}

void ResponseMapPanel::onLatestFailed(const QString& key, quint64 seq, const QString& error)
{
    if (key != QLatin1String(kPointKey) || seq < mFirstSeq)
        return;
    mStatus->setText(tr("Cannot decode the point: %1").arg(error));
    Q_EMIT message(mStatus->text());
}

void ResponseMapPanel::showIterated(const IteratedResponses& result)
{
    mIterated = result;
    const ResponseMapData& data = mQuad->data();
    if (result.images.size() < 2 || !mQuad->hasData())
        return;
    mPointView->setImage(result.images[0]);
    mResponseView->setImage(result.images[1]);
    const int dx = data.request.dimX, dy = data.request.dimY;
    mPointView->setSubtitle(
        tr("z%1 = %2, z%3 = %4").arg(dx).arg(result.at(0, dx), 0, 'f', 2).arg(dy).arg(result.at(0, dy), 0, 'f', 2));
    mResponseView->setSubtitle(
        tr("R: z%1 = %2, z%3 = %4").arg(dx).arg(result.at(1, dx), 0, 'f', 2).arg(dy).arg(result.at(1, dy), 0, 'f', 2));
    QVector<QPointF> path;
    QStringList captions;
    for (int k = 0; k <= result.steps(); ++k) {
        path << QPointF(result.at(k, dx), result.at(k, dy));
        captions << (k == 0 ? QStringLiteral("z") : k == 1 ? QStringLiteral("R(z)") : QStringLiteral("R%1").arg(k));
    }
    mQuad->setPath(path);
    mStrip->setRows({{tr("iterated"), result.images}}, captions);
    Q_EMIT pointShown();
}

QString ResponseMapPanel::statusText() const { return mStatus->text(); }

QMap<QString, lx::Array> ResponseMapPanel::arrays() const
{
    QMap<QString, lx::Array> arrays;
    const ResponseMapData& data = mQuad->data();
    const int n = data.grid();
    if (n < 2)
        return arrays;
    arrays.insert(QStringLiteral("field_x"), arrayOf(data.fieldX, {n, n}));
    arrays.insert(QStringLiteral("field_y"), arrayOf(data.fieldY, {n, n}));
    arrays.insert(QStringLiteral("magnitude"), arrayOf(data.magnitude, {n, n}));
    arrays.insert(QStringLiteral("divergence"), arrayOf(data.divergence, {n, n}));
    arrays.insert(QStringLiteral("curvature"), arrayOf(data.curvature, {n, n}));
    arrays.insert(QStringLiteral("base"), arrayOf(data.base, {static_cast<int64_t>(data.base.size())}));
    QVector<float> axis(data.axis.begin(), data.axis.end());
    arrays.insert(QStringLiteral("axis"), arrayOf(axis, {n}));
    if (data.bins > 0)
        arrays.insert(QStringLiteral("histogram"), arrayOf(data.histogram, {data.bins, data.bins}));
    if (mIterated.dims > 0)
        arrays.insert(QStringLiteral("iterated_path"),
                      arrayOf(mIterated.path, {mIterated.steps() + 1, mIterated.dims}));
    return arrays;
}

QJsonObject ResponseMapPanel::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("dim_x"), mDimX->value());
    o.insert(QStringLiteral("dim_y"), mDimY->value());
    return viewSettings().toJson(o);
}

void ResponseMapPanel::restoreSessionJson(const QJsonObject& json)
{
    setDims(json.value(QStringLiteral("dim_x")).toInt(mDimX->value()),
            json.value(QStringLiteral("dim_y")).toInt(mDimY->value()));
    viewSettings().restore(json);
}

ViewSettings ResponseMapPanel::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("grid"), mGrid)
        .add(QStringLiteral("radius"), mRadius)
        .add(QStringLiteral("base_seed"), mBaseSeed)
        .add(QStringLiteral("steps"), mSteps);
}

} // namespace lx::ui
