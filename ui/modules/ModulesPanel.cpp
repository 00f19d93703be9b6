#include "ui/modules/ModulesPanel.h"

#include "ui/compute/ComputeController.h"
#include "ui/modules/ConsistencyPanel.h"
#include "ui/modules/ModulePlot.h"
#include "ui/modules/ModuleTasks.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace lx::ui {
namespace {

QString channelList(const QVector<int>& channels)
{
    QStringList parts;
    parts.reserve(channels.size());
    for (int c : channels)
        parts << QString::number(c);
    return parts.join(QLatin1String(", "));
}

// The pairs that work recomputing influence on the model (module influence maps, the consistency
// curve's second set) draws from the seeds, as for the maps themselves. Maps opened from a file were
// averaged over latents that are not seeds, perhaps over an unknown number of pairs: that work then
// takes seeded pairs, as many as the file's, or the Influence panel's default when unknown.
constexpr int kOpenedMapsDefaultPairs = 64;

int recomputePairs(const InfluenceResult& maps) { return maps.pairs > 0 ? maps.pairs : kOpenedMapsDefaultPairs; }

} // namespace

ModulesPanel::ModulesPanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    auto* form = new QGridLayout;
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(5);
    mMethod = new QComboBox(this);
    mMethod->addItem(tr("NMF"), static_cast<int>(ModuleMethod::Nmf));
    mMethod->addItem(tr("k-means"), static_cast<int>(ModuleMethod::KMeans));
    mMethod->setToolTip(
        tr("NMF of the (channels × pixels) matrix, channel c joining argmax_k W[c, k]; "
           "or k-means of the same map vectors, for comparison"));
    mK = new QSpinBox(this);
    mK->setRange(1, 64);
    mK->setValue(kDefaultK);
    mK->setToolTip(tr("Number of modules (default 3 is ours; the paper's value is unverified)"));
    mSigma = new QDoubleSpinBox(this);
    mSigma->setRange(0.0, 16.0);
    mSigma->setSingleStep(0.5);
    mSigma->setDecimals(2);
    mSigma->setValue(1.0);
    mSigma->setSuffix(tr(" px"));
    mSigma->setSpecialValueText(tr("off"));
    mSigma->setToolTip(tr("Gaussian smoothing of each map before factorising, in pixels (0 = off)"));
    mThreshold = new QDoubleSpinBox(this);
    mThreshold->setRange(0.0, 0.99);
    mThreshold->setSingleStep(0.05);
    mThreshold->setDecimals(2);
    mThreshold->setValue(0.0);
    mThreshold->setSpecialValueText(tr("off"));
    mThreshold->setToolTip(tr("In each map, values below this quantile become 0 (0 = off)"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setToolTip(tr("Seed of k-means (NMF starts from NNDSVDa, which needs none)"));
    mFind = new QPushButton(tr("Find modules"), this);
    mFind->setAutoDefault(false);
    mFind->setToolTip(tr("Group the layer's channels into K modules by their influence maps (Ctrl+M)"));

    form->addWidget(new QLabel(tr("Method"), this), 0, 0);
    form->addWidget(mMethod, 0, 1);
    form->addWidget(new QLabel(tr("K"), this), 0, 2);
    form->addWidget(mK, 0, 3);
    form->addWidget(new QLabel(tr("σ"), this), 1, 0);
    form->addWidget(mSigma, 1, 1);
    form->addWidget(new QLabel(tr("Threshold q"), this), 1, 2);
    form->addWidget(mThreshold, 1, 3);
    form->addWidget(new QLabel(tr("Seed"), this), 2, 0);
    form->addWidget(mSeed, 2, 1);
    form->addWidget(mFind, 2, 2, 1, 2);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    layout->addLayout(form);

    mStatus = new QLabel(this);
    mStatus->setWordWrap(true);
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mStatus);

    mPlot = new ModulePlot(this);
    mPlot->setToolTip(tr("Click a module to take its channels from z2"));
    mTable = new QTableWidget(0, 3, this);
    mTable->setHorizontalHeaderLabels({tr("Module"), tr("Channels"), tr("Channel list")});
    mTable->verticalHeader()->setVisible(false);
    mTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    mTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    mTable->horizontalHeader()->setStretchLastSection(true);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setSelectionMode(QAbstractItemView::SingleSelection);
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->setWordWrap(false);
    mTable->setToolTip(tr("Click a module to take its channels from z2"));
    mTable->setMinimumHeight(90);
    // Tab 1: the modules (plot and table); tab 2: consistency over K.
    mTabs = new QTabWidget(this);
    mTabs->setDocumentMode(true);
    auto* modulesTab = new QWidget(mTabs);
    auto* modulesLayout = new QVBoxLayout(modulesTab);
    modulesLayout->setContentsMargins(0, 4, 0, 0);
    mPlot->setParent(modulesTab);
    mTable->setParent(modulesTab);
    modulesLayout->addWidget(mPlot);
    modulesLayout->addWidget(mTable, 1);
    mTabs->addTab(modulesTab, tr("Modules"));
    mConsistency = new ConsistencyPanel(mController, mTabs);
    mTabs->addTab(mConsistency, tr("Consistency over K"));
    mTabs->setTabToolTip(1,
                         tr("How consistent NMF and k-means modules are across two independent sets "
                            "of pairs, for each K (Besserve et al.'s criterion for choosing K)"));
    layout->addWidget(mTabs, 1);

    mFindAction = new QAction(tr("Find &Modules"), this);
    mFindAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(mFindAction, &QAction::triggered, this, &ModulesPanel::findModules);
    connect(mFind, &QPushButton::clicked, this, &ModulesPanel::findModules);
    connect(mPlot, &ModulePlot::moduleClicked, this, &ModulesPanel::selectModule);
    connect(mTable, &QTableWidget::cellClicked, this, [this](int row) { selectModule(row); });
    connect(mTable, &QTableWidget::itemSelectionChanged, this, [this] {
        const QList<QTableWidgetSelectionRange> ranges = mTable->selectedRanges();
        if (!ranges.isEmpty())
            selectModule(ranges.first().topRow());
    });

    connect(mConsistency, &ConsistencyPanel::computeRequested, this, &ModulesPanel::startConsistency);
    connect(mConsistency, &ConsistencyPanel::message, this, &ModulesPanel::message);
    registerModuleAssayTypes();
    clearResult();
}

QString ModulesPanel::mapsKey(const InfluenceResult& maps)
{
    if (maps.isEmpty())
        return {};
    // Opened maps are told apart from computed ones (and from each other) by their file.
    return QStringLiteral("%1|%2|%3|%4|%5")
        .arg(maps.modelPath)
        .arg(maps.layer)
        .arg(maps.pairs)
        .arg(maps.firstSeed)
        .arg(maps.sourcePath);
}

void ModulesPanel::setMaps(const InfluenceResult& maps)
{
    mMaps = maps;
    mMapsKey = mapsKey(maps);
    if (!maps.isEmpty())
        mK->setMaximum(std::max(1, maps.channels));
    if (const auto it = mByMaps.constFind(mMapsKey); !mMapsKey.isEmpty() && it != mByMaps.constEnd())
        showResult(it.value());
    else
        clearResult();
    mConsistency->setAvailable(!maps.isEmpty() && maps.channels >= 2, mMapsKey, maps.channels);
}

QString ModulesPanel::resultKey() const
{
    return mResult.k > 0 ? QStringLiteral("%1|%2").arg(mMapsKey).arg(mResult.id) : QString();
}

void ModulesPanel::startGroupMaps()
{
    const QString key = resultKey();
    if (key.isEmpty() || mMaps.isEmpty())
        return;
    if (const auto it = mGroupMaps.constFind(key); it != mGroupMaps.constEnd()) {
        mPlot->setGroupMaps(it.value(), recomputePairs(mMaps));
        return;
    }
    if (mGroupJob) {
        if (mGroupJobKey == key)
            return;
        mGroupJob->cancel();
    }
    GroupMapsRequest request;
    request.layer = mMaps.layer;
    for (int m = 0; m < mResult.k; ++m)
        request.modules << mResult.members(m);
    request.pairs = recomputePairs(mMaps);
    request.firstSeed = mMaps.firstSeed;
    request.key = key;
    mGroupJobKey = key;
    mGroupJob = mController->run(
        Task::onModel(tr("module influence maps"), ModuleTasks::groupMapsTask(request), mMaps.modelGeneration));
    watchEnd(mGroupJob);
    connect(mGroupJob, &TaskHandle::finished, this, &ModulesPanel::onGroupMaps);
}

void ModulesPanel::watchEnd(TaskHandle* task)
{
    connect(task, &TaskHandle::failed, this, [this, task](const QString& error) { onEnded(task, error); });
    connect(task, &TaskHandle::cancelled, this, [this, task] { onEnded(task, QString()); });
}

void ModulesPanel::onGroupMaps(const QVariant& result)
{
    mGroupJob = nullptr;
    const GroupMapsData data = result.value<GroupMapsData>();
    mGroupMaps.insert(data.request.key, data.maps);
    if (data.request.key == resultKey())
        mPlot->setGroupMaps(data.maps, data.request.pairs);
}

void ModulesPanel::startConsistency()
{
    if (mMaps.isEmpty())
        return;
    ConsistencyRequest request;
    request.layer = mMaps.layer;
    request.pairs = recomputePairs(mMaps);
    request.firstSeed = mMaps.firstSeed;
    request.mapsA = mMaps.maps;
    request.channels = mMaps.channels;
    request.height = mMaps.height;
    request.width = mMaps.width;
    request.sigma = mSigma->value();
    request.threshold = mThreshold->value();
    request.kMin = mConsistency->kMinBox()->value();
    request.kMax = mConsistency->kMaxBox()->value();
    request.seed = static_cast<quint64>(mSeed->value());
    mConsistency->start(request, mMaps.modelGeneration);
}

void ModulesPanel::setSelectedChannels(const QVector<int>& channels)
{
    int match = -1;
    for (int m = 0; m < mResult.k && match < 0; ++m) {
        if (mResult.members(m) == channels)
            match = m;
    }
    highlight(match);
}

QString ModulesPanel::statusText() const { return mStatus->text(); }

lx::ModuleSettings ModulesPanel::settings() const
{
    lx::ModuleSettings settings;
    settings.method = mMethod->currentData().toInt() == int(ModuleMethod::KMeans) ? "kmeans" : "nmf";
    settings.k = mK->value();
    settings.sigma = mSigma->value();
    settings.threshold = mThreshold->value();
    settings.seed = static_cast<uint64_t>(mSeed->value());
    return settings;
}

void ModulesPanel::setSettings(const lx::ModuleSettings& settings)
{
    mMethod->setCurrentIndex(
        mMethod->findData(int(settings.method == "kmeans" ? ModuleMethod::KMeans : ModuleMethod::Nmf)));
    mK->setValue(settings.k);
    mSigma->setValue(settings.sigma);
    mThreshold->setValue(settings.threshold);
    mSeed->setValue(int(std::min<uint64_t>(settings.seed, uint64_t(mSeed->maximum()))));
}

QVector<QVector<int>> ModulesPanel::modulesOf(int layer) const
{
    QVector<QVector<int>> modules;
    if (hasResult() && mapsLayer() == layer) {
        for (int k = 0; k < mResult.k; ++k)
            modules << mResult.members(k);
    }
    return modules;
}

void ModulesPanel::findModules()
{
    if (mMaps.isEmpty() || isRunning())
        return;
    ModulesJob job;
    job.method = static_cast<ModuleMethod>(mMethod->currentData().toInt());
    job.k = mK->value();
    job.seed = static_cast<quint64>(mSeed->value());
    job.sigma = mSigma->value();
    job.threshold = mThreshold->value();
    job.maps = mMaps.maps;
    job.channels = mMaps.channels;
    job.height = mMaps.height;
    job.width = mMaps.width;
    mJob = mController->run(Task::modelFree(tr("modules"), ModuleTasks::modulesTask(job)));
    mJobKey = mMapsKey;
    watchEnd(mJob);
    connect(mJob, &TaskHandle::finished, this, [this, id = mJob->id()](const QVariant& result) {
        ModulesResult modules = result.value<ModulesResult>();
        modules.id = id;
        onResult(modules);
    });
    mStatus->setText(tr("Finding %1 modules (%2)…").arg(job.k).arg(methodName(job.method)));
    updateState();
}

void ModulesPanel::selectModule(int module)
{
    if (module < 0 || module >= mResult.k)
        return;
    highlight(module);
    Q_EMIT channelsRequested(mResult.members(module));
}

void ModulesPanel::onResult(const ModulesResult& result)
{
    if (!mJob || result.id != mJob->id())
        return;
    mJob = nullptr;
    updateState();
    if (mJobKey.isEmpty())
        return;
    mByMaps.insert(mJobKey, result);
    if (mJobKey == mMapsKey)
        showResult(result);
    Q_EMIT message(tr("Found %1 modules (%2) in %3 ms")
                       .arg(result.k)
                       .arg(methodName(result.method))
                       .arg(result.computeMs, 0, 'f', 0));
}

void ModulesPanel::onEnded(TaskHandle* task, const QString& error)
{
    if (task == mGroupJob) {
        mGroupJob = nullptr;
        if (!error.isEmpty())
            Q_EMIT message(tr("Module influence maps failed: %1").arg(error));
        return;
    }
    if (task != mJob)
        return;
    mJob = nullptr;
    updateState();
    mStatus->setText(error.isEmpty() ? tr("Cancelled") : tr("Failed: %1").arg(error));
    if (!error.isEmpty())
        Q_EMIT message(tr("Module discovery failed: %1").arg(error));
}

void ModulesPanel::showResult(const ModulesResult& result)
{
    mResult = result;
    const QString layer = mMaps.isEmpty() ? QString() : QStringLiteral(" · %1 channels").arg(mMaps.channels);
    const QString error = result.method == ModuleMethod::Nmf ? tr("relative error %1").arg(result.error, 0, 'f', 4)
                                                             : tr("inertia %1").arg(result.error, 0, 'g', 4);
    const QString sigma = result.sigma > 0 ? tr("σ %1 px").arg(result.sigma) : tr("no smoothing");
    const QString q = result.threshold > 0 ? tr("threshold q %1").arg(result.threshold) : tr("no threshold");
    mStatus->setText(tr("<b>%1, K = %2</b>%3: %4 after %5 iterations (%6 ms; %7, %8)")
                         .arg(methodName(result.method))
                         .arg(result.k)
                         .arg(layer)
                         .arg(error)
                         .arg(result.iterations)
                         .arg(result.computeMs, 0, 'f', 0)
                         .arg(sigma, q));

    const QSignalBlocker blocker(mTable);
    mTable->clearContents();
    mTable->setRowCount(result.k);
    for (int m = 0; m < result.k; ++m) {
        const QVector<int> members = result.members(m);
        auto* name = new QTableWidgetItem(tr("M%1").arg(m + 1));
        auto* count = new QTableWidgetItem(QString::number(members.size()));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* list = new QTableWidgetItem(channelList(members));
        list->setToolTip(list->text());
        mTable->setItem(m, 0, name);
        mTable->setItem(m, 1, count);
        mTable->setItem(m, 2, list);
    }
    mTable->resizeRowsToContents();
    mPlot->setResult(result);
    highlight(-1);
    updateState();
    Q_EMIT resultChanged(mResult);
    Q_EMIT modulesForLayer(mapsLayer(), mResult);
    startGroupMaps();
}

void ModulesPanel::clearResult()
{
    mResult = ModulesResult();
    const QSignalBlocker blocker(mTable);
    mTable->setRowCount(0);
    mPlot->clearResult();
    mStatus->setText(mMaps.isEmpty() ? tr("Compute the influence maps of a layer first (Influence "
                                          "panel, Ctrl+E); then find modules among its channels.")
                                     : tr("Influence maps of %1 channels ready: press Find modules "
                                          "(Ctrl+M).")
                                           .arg(mMaps.channels));
    updateState();
    Q_EMIT modulesForLayer(mapsLayer(), mResult);
}

void ModulesPanel::highlight(int module)
{
    mPlot->setHighlightedModule(module);
    const QSignalBlocker blocker(mTable);
    if (module < 0)
        mTable->clearSelection();
    else
        mTable->selectRow(module);
}

void ModulesPanel::updateState()
{
    const bool can = !mMaps.isEmpty() && !isRunning();
    mFind->setEnabled(can);
    mFindAction->setEnabled(can);
}

} // namespace lx::ui
