#include "ui/influence/InfluencePanel.h"

#include "ui/influence/InfluenceTasks.h"
#include "ui/widgets/ColorMap.h"
#include "ui/widgets/ViewSettings.h"
#include "ui/compute/ComputeController.h"
#include "ui/compute/TaskBar.h"
#include "ui/influence/EimGallery.h"
#include "ui/compute/ErrorText.h"
#include "ui/influence/InfluenceMapFile.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <exception>
#include <limits>

namespace lx::ui {

InfluencePanel::InfluencePanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    mPairs = new QSpinBox(this);
    mPairs->setRange(1, 4096);
    mPairs->setValue(kDefaultPairs);
    mPairs->setAccelerated(true);
    mPairs->setToolTip(tr("Latent pairs (z1, z2) the maps average over; more pairs, smoother maps"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setToolTip(tr("Pair i uses the latents of seeds first + i and first + pairs + i"));
    mCompute = new QPushButton(tr("Compute"), this);
    mCompute->setToolTip(tr("Compute the influence map of every channel of the layer (Ctrl+E)"));
    mOpen = new QPushButton(tr("Open…"), this);
    mOpen->setToolTip(
        tr("Show influence maps computed elsewhere: an EIM.npy written by latent-explorer-cli "
           "influence or by a cluster job's merge (Ctrl+Shift+I)"));
    for (QPushButton* button : {mCompute, mOpen})
        button->setAutoDefault(false);
    mTasks = new TaskBar(controller, this);
    mTasks->cancelAction()->setText(tr("&Cancel Computation"));
    bar->addWidget(new QLabel(tr("Pairs"), this));
    bar->addWidget(mPairs);
    bar->addSpacing(6);
    bar->addWidget(new QLabel(tr("Seeds from"), this));
    bar->addWidget(mSeed);
    bar->addSpacing(6);
    bar->addWidget(mCompute);
    bar->addWidget(mOpen);
    bar->addWidget(mTasks, 1);
    layout->addLayout(bar);

    auto* info = new QHBoxLayout;
    info->setSpacing(6);
    mStatus = new QLabel(this);
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    info->addWidget(mStatus, 1);
    mLegendLow = new QLabel(QStringLiteral("0"), this);
    mLegendBar = new QLabel(this);
    mLegendBar->setPixmap(QPixmap::fromImage(ColorMap::legendBar(120, 10)));
    mLegendBar->setToolTip(
        tr("One colour scale for all channels: mean |hybrid − x(z1)| per pixel, "
           "in output units"));
    mLegendHigh = new QLabel(this);
    info->addWidget(mLegendLow);
    info->addWidget(mLegendBar);
    info->addWidget(mLegendHigh);
    layout->addLayout(info);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    mGallery = new EimGallery(scroll);
    mGallery->setObjectName(QStringLiteral("eimGallery"));
    scroll->setWidget(mGallery);
    layout->addWidget(scroll, 1);

    mComputeAction = new QAction(tr("Compute &Influence Maps"), this);
    mComputeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    // Ctrl+Shift+O opens a session; I for influence.
    mOpenAction = new QAction(tr("&Open Influence Maps…"), this);
    mOpenAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(mComputeAction, &QAction::triggered, this, &InfluencePanel::compute);
    connect(mOpenAction, &QAction::triggered, this, &InfluencePanel::openDialog);
    connect(mCompute, &QPushButton::clicked, this, &InfluencePanel::compute);
    connect(mOpen, &QPushButton::clicked, this, &InfluencePanel::openDialog);
    connect(mGallery, &EimGallery::selectionRequested, this, &InfluencePanel::channelsRequested);

    showNone();
}

void InfluencePanel::setModel(const ModelSummary& summary)
{
    cancel();
    mSummary = summary;
    mHasModel = true;
    mLayer = -1;
    showNone();
}

void InfluencePanel::setLayer(int layer)
{
    mLayer = layer;
    if (!isRunning())
        mTasks->clear(); // a finished job's "done" is not about this layer
    if (!mHasModel || layer < 0) {
        showNone();
        return;
    }
    if (const InfluenceResult* cached = mCache.latest(mSummary.path, layer))
        show(InfluenceResult(*cached), true);
    else
        showNone();
}

void InfluencePanel::setSelectedChannels(const QVector<int>& channels) { mGallery->setSelectedChannels(channels); }

QString InfluencePanel::statusText() const { return mStatus->text(); }

QAction* InfluencePanel::cancelAction() const { return mTasks->cancelAction(); }
QPushButton* InfluencePanel::cancelButton() const { return mTasks->cancelButton(); }
QProgressBar* InfluencePanel::progressBar() const { return mTasks->progressBar(); }

QString InfluencePanel::layerName(int layer) const
{
    return mSummary.layerNames.value(layer, QStringLiteral("layer %1").arg(layer));
}

void InfluencePanel::compute()
{
    if (!mHasModel || mLayer < 0 || isRunning())
        return;
    const int pairs = mPairs->value();
    const auto seed = static_cast<quint64>(mSeed->value());
    if (const InfluenceResult* cached = mCache.find(mSummary.path, mLayer, pairs, seed)) {
        show(InfluenceResult(*cached), true);
        return;
    }
    InfluenceJob job;
    job.layer = mLayer;
    job.pairs = pairs;
    job.firstSeed = seed;
    job.modelGeneration = mSummary.generation;
    mJob = InfluenceTasks::start(*mController, job);
    mJobLayer = mLayer;
    connect(mJob, &TaskHandle::cancelled, this, &InfluencePanel::onCancelled);
    connect(mJob, &TaskHandle::failed, this, &InfluencePanel::onFailed);
    mTasks->track(mJob, [this](const QVariant& result) { onResult(result); });
    updateState();
}

void InfluencePanel::cancel() { mTasks->cancel(); }

QJsonObject InfluencePanel::sessionJson() const { return viewSettings().toJson(); }

void InfluencePanel::restoreSessionJson(const QJsonObject& json) { viewSettings().restore(json); }

ViewSettings InfluencePanel::viewSettings() const
{
    return ViewSettings().add(QStringLiteral("pairs"), mPairs).add(QStringLiteral("first_seed"), mSeed);
}

void InfluencePanel::openDialog()
{
    if (!mHasModel || isRunning())
        return;
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Influence Maps"),
                                                      settings.value(QStringLiteral("lastInfluenceMapsDir")).toString(),
                                                      tr("Influence maps (*.npy)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastInfluenceMapsDir"), QFileInfo(path).absolutePath());
    openMaps(path);
}

bool InfluencePanel::openMaps(const QString& path)
{
    const auto refuse = [this](const QString& why) {
        Q_EMIT message(tr("Cannot open influence maps: %1").arg(why));
        return false;
    };
    if (!mHasModel)
        return refuse(tr("no model loaded"));
    if (isRunning())
        return refuse(tr("influence maps are being computed; wait for them or cancel first"));
    InfluenceResult result;
    try {
        result = InfluenceMapFile::read(path, mSummary, mLayer);
    } catch (const std::exception& e) {
        return refuse(errorText(e));
    }
    if (result.layer != mLayer) {
        // The provenance names another layer: the main window selects it, which calls setLayer.
        Q_EMIT layerRequested(result.layer);
        if (result.layer != mLayer)
            return refuse(tr("maps of layer %1; select that layer first").arg(layerName(result.layer)));
    }
    mTasks->clear(); // a finished job's "done" is not about these maps
    mCache.insert(result);
    show(result, false);
    Q_EMIT message(tr("Influence maps of %1 opened from %2: %3 channels, %4")
                       .arg(layerName(result.layer), QFileInfo(path).fileName())
                       .arg(result.channels)
                       .arg(result.pairs > 0 ? tr("%1 pairs").arg(result.pairs) : tr("pair count unknown")));
    return true;
}

void InfluencePanel::onResult(const QVariant& value)
{
    InfluenceResult result = value.value<InfluenceResult>();
    result.id = mJob ? mJob->id() : 0;
    jobEnded();
    if (!mHasModel || result.modelGeneration != mSummary.generation)
        return; // made for a model that has since been replaced
    mCache.insert(result);
    if (result.layer == mLayer)
        show(result, false);
    Q_EMIT message(tr("Influence maps of %1: %2 channels, %3 pairs, %4 s")
                       .arg(layerName(result.layer))
                       .arg(result.channels)
                       .arg(result.pairs)
                       .arg(result.computeMs / 1000.0, 0, 'f', 1));
}

void InfluencePanel::onCancelled()
{
    jobEnded();
    Q_EMIT message(tr("Influence maps cancelled"));
}

void InfluencePanel::onFailed(const QString& error)
{
    jobEnded();
    mStatus->setText(tr("Failed: %1").arg(error));
    Q_EMIT message(tr("Influence maps failed: %1").arg(error));
}

void InfluencePanel::jobEnded()
{
    mJob = nullptr;
    mJobLayer = -1;
    updateState();
}

void InfluencePanel::show(const InfluenceResult& result, bool cached)
{
    mShown = result;
    mGallery->setMaps(mShown);
    mStatus->setText(result.isOpened() ? openedText(result, cached) : computedText(result, cached));
    mLegendHigh->setText(QString::number(mGallery->scaleMax(), 'g', 3));
    for (QWidget* w :
         {static_cast<QWidget*>(mLegendLow), static_cast<QWidget*>(mLegendBar), static_cast<QWidget*>(mLegendHigh)})
        w->setVisible(true);
    updateState();
    Q_EMIT mapsChanged(mShown);
}

QString InfluencePanel::computedText(const InfluenceResult& result, bool cached) const
{
    const QString seeds = tr("seeds %1–%2").arg(result.firstSeed).arg(result.firstSeed + 2 * quint64(result.pairs) - 1);
    return tr("%1: %2 maps of %3×%4 from %5 pairs (%6), %7 · sorted by total influence")
        .arg(layerName(result.layer))
        .arg(result.channels)
        .arg(result.height)
        .arg(result.width)
        .arg(result.pairs)
        .arg(seeds)
        .arg(cached                          ? tr("cached")
                 : result.computeMs < 1000.0 ? tr("%1 ms").arg(result.computeMs, 0, 'f', 0)
                                             : tr("%1 s").arg(result.computeMs / 1000.0, 0, 'f', 1));
}

QString InfluencePanel::openedText(const InfluenceResult& result, bool cached) const
{
    // What the file's provenance says: "64 pairs, merged from 4 shards (EIM.npy)".
    QString origin = result.pairs > 0 ? tr("%1 pairs").arg(result.pairs) : tr("pair count unknown");
    if (result.sourceShards > 0)
        origin += tr(", merged from %1 shards").arg(result.sourceShards);
    QString file = QFileInfo(result.sourcePath).fileName();
    if (cached)
        file += tr(", cached");
    return tr("%1: %2 maps of %3×%4, %5 (%6) · sorted by total influence")
        .arg(layerName(result.layer))
        .arg(result.channels)
        .arg(result.height)
        .arg(result.width)
        .arg(origin, file);
}

void InfluencePanel::showNone()
{
    const bool had = !mShown.isEmpty();
    mShown = InfluenceResult();
    mGallery->clear();
    if (!mHasModel) {
        mGallery->setPlaceholderText(tr("Open a model to compute influence maps"));
        mStatus->setText(QString());
    } else if (mLayer < 0) {
        mGallery->setPlaceholderText(tr("No layer selected"));
        mStatus->setText(QString());
    } else {
        mGallery->setPlaceholderText(
            tr("Press Compute (Ctrl+E) for the influence map of each channel of %1: where in the "
               "image swapping that one channel from z2 changes the output, averaged over pairs; or "
               "Open… (Ctrl+Shift+I) maps computed elsewhere")
                .arg(layerName(mLayer)));
        mStatus->setText(tr("%1: not computed yet").arg(layerName(mLayer)));
    }
    for (QWidget* w :
         {static_cast<QWidget*>(mLegendLow), static_cast<QWidget*>(mLegendBar), static_cast<QWidget*>(mLegendHigh)})
        w->setVisible(false);
    updateState();
    if (had)
        Q_EMIT mapsChanged(mShown);
}

void InfluencePanel::updateState()
{
    const bool canCompute = mHasModel && mLayer >= 0 && !isRunning();
    mCompute->setEnabled(canCompute);
    mComputeAction->setEnabled(canCompute);
    const bool canOpen = mHasModel && mSummary.layerCount() > 0 && !isRunning();
    mOpen->setEnabled(canOpen);
    mOpenAction->setEnabled(canOpen);
    mPairs->setEnabled(!isRunning());
    mSeed->setEnabled(!isRunning());
}

} // namespace lx::ui
