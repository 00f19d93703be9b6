#include "ui/explore/ExploreView.h"

#include "lx/Error.h"
#include "lx/Gif.h"
#include "lx/Npy.h"
#include "ui/explore/ChannelStatsView.h"
#include "ui/compute/ComputeController.h"
#include "ui/explore/DirectionsPanel.h"
#include "ui/explore/ExploreTasks.h"
#include "ui/figure/FrameSequenceWriter.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/compute/TaskBar.h"

#include "ui/figure/ImageConvert.h"
#include "ui/widgets/ViewSettings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace lx::ui {
namespace {

const char* const kInterpolationKey = "explore/interpolation";
const char* const kPreviewKey = "explore/preview";
const char* const kGridKey = "explore/grid";

QJsonArray toJson(const QVector<int>& values)
{
    QJsonArray a;
    for (int v : values)
        a.append(v);
    return a;
}

QString classPathName(ClassPath path)
{
    switch (path) {
    case ClassPath::Class:
        return QStringLiteral("class");
    case ClassPath::Both:
        return QStringLiteral("both");
    case ClassPath::Latent:
        break;
    }
    return QStringLiteral("latent");
}

ClassPath classPathFromName(const QString& name)
{
    return name == QLatin1String("class") ? ClassPath::Class
        : name == QLatin1String("both")   ? ClassPath::Both
                                          : ClassPath::Latent;
}

} // namespace

ExploreView::ExploreView(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);

    // --- Interpolation ---
    auto* interp = new QGroupBox(tr("Interpolation z1 → z2"), this);
    auto* il = new QVBoxLayout(interp);
    auto* controls = new QHBoxLayout;
    mMode = new QComboBox(interp);
    mMode->addItem(tr("Spherical (slerp)"), int(lx::Interpolation::Spherical));
    mMode->addItem(tr("Linear"), int(lx::Interpolation::Linear));
    mMode->setToolTip(tr("Spherical keeps Gaussian latents at a typical norm; linear passes near the origin"));
    mFrames = new QSpinBox(interp);
    mFrames->setRange(3, 32);
    mFrames->setValue(9);
    mApply = new QCheckBox(tr("Apply the hybrid's transform"), interp);
    mApply->setToolTip(
        tr("Every frame gets what the hybrid view does to z1: its interventions, else the selected "
           "channels taken from z2"));
    mClassPathLabel = new QLabel(tr("Moves"), interp);
    mClassPath = new QComboBox(interp);
    mClassPath->setToolTip(
        tr("A class-conditional model: the latent moves from z1 to z2 in z1's class, or (one-hot "
           "models) the class moves from z1's to z2's with z1 fixed, or both"));
    mPlay = new QPushButton(tr("Play"), interp);
    mPlay->setToolTip(tr("Animate t back and forth (Ctrl+Shift+P)"));
    mExportCount = new QSpinBox(interp);
    mExportCount->setRange(2, ExploreTasks::kMaxFrames);
    mExportCount->setValue(60);
    mExportCount->setSuffix(tr(" frames"));
    mExportFrames = new QPushButton(tr("PNG sequence…"), interp);
    mExportFrames->setToolTip(tr("Export the frames as PNGs into a new folder"));
    mExportGif = new QPushButton(tr("GIF…"), interp);
    mExportGif->setToolTip(tr("Export the frames as an animated GIF (25 fps, looping)"));
    // Left: the controls and the t slider; right: the frame at t. The strip runs below, full width.
    auto* top = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    controls->addWidget(new QLabel(tr("Path"), interp));
    controls->addWidget(mMode);
    controls->addWidget(new QLabel(tr("Frames"), interp));
    controls->addWidget(mFrames);
    controls->addWidget(mClassPathLabel);
    controls->addWidget(mClassPath);
    controls->addStretch(1);
    left->addLayout(controls);
    left->addWidget(mApply);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(mPlay);
    exportRow->addStretch(1);
    exportRow->addWidget(mExportCount);
    exportRow->addWidget(mExportFrames);
    exportRow->addWidget(mExportGif);
    left->addLayout(exportRow);
    mSlider = new QSlider(Qt::Horizontal, interp);
    mSlider->setRange(0, kSliderTicks);
    mTLabel = new QLabel(tr("t = 0.00"), interp);
    left->addWidget(mTLabel);
    left->addWidget(mSlider);
    left->addStretch(1);
    top->addLayout(left, 1);
    mPreviewView = new ImageView(tr("x(z(t))"), interp);
    mPreviewView->setFixedSize(180, 200);
    top->addWidget(mPreviewView);
    il->addLayout(top);
    mStrip = new ImageStrips(interp);
    mStrip->clear(tr("Open a generator to see the path from z1 to z2"));
    il->addWidget(mStrip);
    layout->addWidget(interp);

    // --- Sample grid ---
    auto* grid = new QGroupBox(tr("Sample grid: many seeds, the same transform"), this);
    auto* gl = new QVBoxLayout(grid);
    auto* gc = new QHBoxLayout;
    mFirstSeed = new QSpinBox(grid);
    mFirstSeed->setRange(0, std::numeric_limits<int>::max());
    mRows = new QSpinBox(grid);
    mRows->setRange(1, ExploreTasks::kMaxGridSide);
    mRows->setValue(2);
    mCols = new QSpinBox(grid);
    mCols->setRange(1, ExploreTasks::kMaxGridSide);
    mCols->setValue(8);
    mTruncation = new QDoubleSpinBox(grid);
    mTruncation->setRange(0.0, 10.0);
    mTruncation->setSingleStep(0.1);
    mTruncation->setDecimals(2);
    mTruncation->setSpecialValueText(tr("off"));
    mTruncation->setToolTip(tr("Truncation: every latent value is redrawn until |v| ≤ this (0 = off)"));
    mShowOriginals = new QCheckBox(tr("Show originals"), grid);
    mShowOriginals->setChecked(true);
    mRowPerClass = new QCheckBox(tr("One row per class"), grid);
    mRowPerClass->setChecked(true);
    mRowPerClass->setToolTip(
        tr("A class-conditional model: row r shows class r, every row the same seeds (else every "
           "sample takes z1's class)"));
    auto* next = new QPushButton(tr("Next seeds"), grid);
    mExportGrid = new QPushButton(tr("Export PNG…"), grid);
    mExportData = new QPushButton(tr("Export data…"), grid);
    mExportData->setToolTip(tr("originals.npy, transformed.npy and seeds.csv, to remake the figure elsewhere"));
    for (auto [label, w] : {std::pair<QString, QWidget*>{tr("First seed"), mFirstSeed},
                            {tr("Rows"), mRows},
                            {tr("Columns"), mCols},
                            {tr("Truncation"), mTruncation}}) {
        gc->addWidget(new QLabel(label, grid));
        gc->addWidget(w);
    }
    gc->addStretch(1);
    gl->addLayout(gc);
    auto* gb = new QHBoxLayout;
    gb->addWidget(mShowOriginals);
    gb->addWidget(mRowPerClass);
    gb->addWidget(next);
    gb->addStretch(1);
    gb->addWidget(mExportGrid);
    gb->addWidget(mExportData);
    gl->addLayout(gb);
    mGridStatus = new QLabel(grid);
    mGridStatus->setWordWrap(true);
    gl->addWidget(mGridStatus);
    mGridStrips = new ImageStrips(grid);
    mGridStrips->clear(tr("Open a generator to see many samples under the hybrid's transform"));
    gl->addWidget(mGridStrips);
    layout->addWidget(grid);
    auto* directions = new QGroupBox(tr("PCA directions (GANSpace)"), this);
    auto* dl = new QVBoxLayout(directions);
    mDirections = new DirectionsPanel(controller, directions);
    dl->addWidget(mDirections);
    layout->addWidget(directions);
    connect(mDirections, &DirectionsPanel::message, this, &ExploreView::message);
    auto* channels = new QGroupBox(tr("Channel view: the selected channels' activations and statistics"), this);
    auto* cl = new QVBoxLayout(channels);
    mChannels = new ChannelStatsView(controller, channels);
    cl->addWidget(mChannels);
    layout->addWidget(channels);
    connect(mChannels, &ChannelStatsView::message, this, &ExploreView::message);
    mTasks = new TaskBar(controller, this);
    layout->addWidget(mTasks);
    layout->addStretch(1);

    mPlayAction = new QAction(tr("Play Interpolation"), this);
    mPlayAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    mPlayAction->setEnabled(false);
    connect(mPlayAction, &QAction::triggered, this, &ExploreView::togglePlay);
    connect(mPlay, &QPushButton::clicked, this, &ExploreView::togglePlay);
    mTimer.setInterval(kAnimationMs);
    connect(&mTimer, &QTimer::timeout, this, &ExploreView::step);

    connect(mMode, &QComboBox::currentIndexChanged, this, [this] {
        postInterpolation();
        postPreview();
    });
    connect(mFrames, &QSpinBox::valueChanged, this, &ExploreView::postInterpolation);
    connect(mApply, &QCheckBox::toggled, this, [this] {
        postInterpolation();
        postPreview();
    });
    connect(mSlider, &QSlider::valueChanged, this, [this](int v) {
        mTLabel->setText(tr("t = %1").arg(double(v) / kSliderTicks, 0, 'f', 2));
        postPreview();
    });
    for (QSpinBox* box : {mFirstSeed, mRows, mCols})
        connect(box, &QSpinBox::valueChanged, this, &ExploreView::postGrid);
    connect(mTruncation, &QDoubleSpinBox::valueChanged, this, &ExploreView::postGrid);
    connect(mShowOriginals, &QCheckBox::toggled, this, &ExploreView::showGrid);
    connect(mClassPath, &QComboBox::currentIndexChanged, this, [this] {
        postInterpolation();
        postPreview();
    });
    connect(mRowPerClass, &QCheckBox::toggled, this, [this] {
        mRows->setEnabled(!rowPerClass());
        postGrid();
    });
    connect(next, &QPushButton::clicked, this, &ExploreView::nextSeeds);
    connect(mExportFrames, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getSaveFileName(this, tr("Export PNG sequence (a new folder)"),
                                                            QStringLiteral("interpolation"));
        if (folder.isEmpty())
            return;
        try {
            exportFrames(folder, mExportCount->value());
        } catch (const lx::Error& e) {
            Q_EMIT message(QString::fromStdString(e.what()));
        }
    });
    connect(mExportGif, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export animated GIF"), QStringLiteral("interpolation.gif"), tr("GIF animations (*.gif)"));
        if (path.isEmpty())
            return;
        try {
            exportGif(path, mExportCount->value());
        } catch (const lx::Error& e) {
            Q_EMIT message(QString::fromStdString(e.what()));
        }
    });
    connect(mExportGrid, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export sample grid"), QStringLiteral("samples.png"),
                                                          tr("PNG images (*.png)"));
        if (path.isEmpty())
            return;
        try {
            exportGridImage(path);
            Q_EMIT message(tr("Wrote %1").arg(path));
        } catch (const lx::Error& e) {
            Q_EMIT message(QString::fromStdString(e.what()));
        }
    });
    connect(mExportData, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export sample grid data into"));
        if (folder.isEmpty())
            return;
        try {
            exportGridData(folder);
            Q_EMIT message(tr("Wrote originals.npy, transformed.npy and seeds.csv to %1").arg(folder));
        } catch (const lx::Error& e) {
            Q_EMIT message(QString::fromStdString(e.what()));
        }
    });
    connect(mTasks, &TaskBar::message, this, &ExploreView::message);
    setEnabled(false);
}

void ExploreView::setModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = summary.kind == QLatin1String("generator") || summary.kind == QLatin1String("autoencoder");
    mTimer.stop();
    mPlay->setText(tr("Play"));
    mInterpolation = InterpolationData();
    mGrid = SampleGridData();
    mPreview = QImage();
    mFirstSeq = std::numeric_limits<quint64>::max();
    mStrip->clear(tr("Computing…"));
    mGridStrips->clear(tr("Computing…"));
    mPreviewView->clear();
    mPlayAction->setEnabled(mHasModel);
    mChannels->setModel(summary);
    mDirections->setModel(summary);
    {
        const QSignalBlocker block(mClassPath);
        mClassPath->clear();
        mClassPath->addItem(tr("Latent z1 → z2"), int(ClassPath::Latent));
        if (summary.classOneHot) {
            mClassPath->addItem(tr("Class (z1 fixed)"), int(ClassPath::Class));
            mClassPath->addItem(tr("Latent and class"), int(ClassPath::Both));
        }
    }
    const bool conditional = !summary.classNames.isEmpty();
    mClassPath->setVisible(conditional);
    mClassPathLabel->setVisible(conditional);
    mRowPerClass->setVisible(conditional);
    mRows->setEnabled(!rowPerClass());
    setEnabled(mHasModel);
    mStale = true;
}

void ExploreView::setTransform(const WorkbenchTransform& transform)
{
    mTransform = transform;
    mChannels->setSelection(transform.layer, transform.channels, transform.seed1, transform.class1);
    mDirections->setSeed(transform.seed1, transform.class1);
    mStale = true;
    if (isVisible())
        refresh();
}

void ExploreView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (mStale)
        refresh();
}

void ExploreView::refresh()
{
    if (!mHasModel)
        return;
    mStale = false;
    postInterpolation();
    postPreview();
    postGrid();
    mChannels->refresh();
}

InterpolationRequest ExploreView::interpolationRequest(int frames) const
{
    InterpolationRequest r;
    r.transform = mTransform;
    r.mode = static_cast<lx::Interpolation>(mMode->currentData().toInt());
    r.frames = frames;
    r.applyTransform = mApply->isChecked();
    r.classPath = static_cast<ClassPath>(mClassPath->currentData().toInt());
    return r;
}

void ExploreView::postInterpolation()
{
    if (!mHasModel)
        return;
    const quint64 seq = mController
                            ->run(Task::onModel(tr("interpolation"),
                                                ExploreTasks::interpolationTask(interpolationRequest(mFrames->value())),
                                                mSummary.generation)
                                      .latest(QLatin1String(kInterpolationKey)))
                            ->deliverTo(this, &ExploreView::onLatest, &ExploreView::onLatestFailed);
    mFirstSeq = std::min(mFirstSeq, seq);
}

void ExploreView::postPreview()
{
    if (!mHasModel)
        return;
    const double t = double(mSlider->value()) / kSliderTicks;
    const quint64 seq =
        mController
            ->run(Task::onModel(tr("interpolation frame"), ExploreTasks::previewTask(interpolationRequest(2), t),
                                mSummary.generation)
                      .latest(QLatin1String(kPreviewKey)))
            ->deliverTo(this, &ExploreView::onLatest, &ExploreView::onLatestFailed);
    mFirstSeq = std::min(mFirstSeq, seq);
    mPreviewT = t;
}

void ExploreView::postGrid()
{
    if (!mHasModel)
        return;
    SampleGridRequest r;
    r.transform = mTransform;
    r.firstSeed = quint64(mFirstSeed->value());
    r.rowPerClass = rowPerClass();
    r.rows = r.rowPerClass ? static_cast<int>(mSummary.classNames.size()) : mRows->value();
    r.cols = mCols->value();
    r.truncation = mTruncation->value();
    if (r.rows > ExploreTasks::kMaxGridSide) {
        Q_EMIT message(tr("Sample grid: %1 classes are more rows than the grid shows (%2); untick One row per class")
                           .arg(r.rows)
                           .arg(ExploreTasks::kMaxGridSide));
        return;
    }
    const quint64 seq = mController
                            ->run(Task::onModel(tr("sample grid"), ExploreTasks::sampleGridTask(r), mSummary.generation)
                                      .latest(QLatin1String(kGridKey)))
                            ->deliverTo(this, &ExploreView::onLatest, &ExploreView::onLatestFailed);
    mFirstSeq = std::min(mFirstSeq, seq);
}

void ExploreView::onLatest(const QString& key, quint64 seq, const QVariant& result)
{
    if (seq < mFirstSeq)
        return; // for the previous model
    if (key == QLatin1String(kInterpolationKey) && result.canConvert<InterpolationData>()) {
        mInterpolation = result.value<InterpolationData>();
        const int n = static_cast<int>(mInterpolation.frames.size());
        QStringList captions;
        for (int i = 0; i < n; ++i)
            captions << QStringLiteral("%1").arg(double(i) / (n - 1), 0, 'f', 2);
        mStrip->setRows({{tr("t"), mInterpolation.frames}}, captions);
        Q_EMIT interpolationShown();
    } else if (key == QLatin1String(kPreviewKey) && result.canConvert<QImage>()) {
        mPreview = result.value<QImage>();
        mPreviewView->setImage(mPreview);
        Q_EMIT previewShown();
    } else if (key == QLatin1String(kGridKey) && result.canConvert<SampleGridData>()) {
        mGrid = result.value<SampleGridData>();
        showGrid();
        Q_EMIT gridShown();
    }
}

void ExploreView::onLatestFailed(const QString& key, quint64 seq, const QString& error)
{
    if (seq < mFirstSeq || !key.startsWith(QLatin1String("explore/")))
        return;
    Q_EMIT message(tr("Explore: %1").arg(error));
}

void ExploreView::showGrid()
{
    const SampleGridRequest& r = mGrid.request;
    const int cols = r.cols;
    if (mGrid.transformedImages.isEmpty() || cols < 1)
        return;
    QVector<ImageStrips::Row> rows;
    const bool identity = mGrid.request.transform.edit.isIdentity() && mGrid.request.transform.channels.isEmpty();
    for (int row = 0; row < r.rows; ++row) {
        const quint64 first = ExploreTasks::gridSeed(r, row * cols);
        const QString seeds = r.rowPerClass ? tr("class %1").arg(mSummary.classNames.value(row))
                                            : tr("seeds %1–%2").arg(first).arg(first + quint64(cols) - 1);
        if (mShowOriginals->isChecked() && !identity)
            rows.append({seeds, mGrid.originalImages.mid(row * cols, cols)});
        rows.append({mShowOriginals->isChecked() && !identity ? tr("transformed") : seeds,
                     mGrid.transformedImages.mid(row * cols, cols)});
    }
    mGridStrips->setRows(rows);
    const WorkbenchTransform& t = mGrid.request.transform;
    QString what;
    if (!t.edit.isIdentity())
        what = tr("the hybrid's interventions at layer %1").arg(mSummary.layerNames.value(t.layer));
    else if (!t.channels.isEmpty())
        what = tr("%1 of %2 taken from z2 (seed %3)")
                   .arg(t.channels.size() == 1 ? tr("1 channel") : tr("%1 channels").arg(t.channels.size()))
                   .arg(mSummary.layerNames.value(t.layer))
                   .arg(t.seed2);
    else
        what = tr("no transform (select channels or add an intervention in the Hybrids tab)");
    const QString samples = r.rowPerClass
        ? tr("%1 classes × seeds %2–%3").arg(r.rows).arg(r.firstSeed).arg(r.firstSeed + quint64(cols) - 1)
        : tr("%1 samples").arg(mGrid.transformedImages.size());
    mGridStatus->setText(tr("%1 · %2 · truncation %3 · %4 ms")
                             .arg(samples)
                             .arg(what)
                             .arg(r.truncation > 0 ? QString::number(r.truncation, 'f', 2) : tr("off"))
                             .arg(mGrid.computeMs, 0, 'f', 0));
}

const QImage& ExploreView::previewImage() const { return mPreview; }

void ExploreView::togglePlay()
{
    if (mTimer.isActive()) {
        mTimer.stop();
        mPlay->setText(tr("Play"));
    } else if (mHasModel) {
        mTimer.start();
        mPlay->setText(tr("Pause"));
    }
}

void ExploreView::step()
{
    int v = mSlider->value() + mDirection;
    if (v > kSliderTicks || v < 0) {
        mDirection = -mDirection;
        v = mSlider->value() + mDirection;
    }
    mSlider->setValue(v);
}

void ExploreView::nextSeeds()
{
    mFirstSeed->setValue(mFirstSeed->value() + (rowPerClass() ? 1 : mRows->value()) * mCols->value());
}

bool ExploreView::rowPerClass() const { return !mSummary.classNames.isEmpty() && mRowPerClass->isChecked(); }

QByteArray ExploreView::provenance(const QString& what, const QJsonObject& extra) const
{
    QJsonObject o;
    o.insert(QStringLiteral("tool"), QStringLiteral("Latent Explorer"));
    o.insert(QStringLiteral("version"), QStringLiteral(LX_VERSION));
    o.insert(QStringLiteral("export"), what);
    if (mSessionProvider) {
        try {
            const lx::Session s = mSessionProvider();
            o.insert(QStringLiteral("model"), QFileInfo(QString::fromStdString(s.modelPath)).fileName());
            o.insert(QStringLiteral("model_sha256"), QString::fromStdString(s.modelSha256));
        } catch (const lx::Error&) {
            o.insert(QStringLiteral("model"), QFileInfo(mSummary.path).fileName());
        }
    } else {
        o.insert(QStringLiteral("model"), QFileInfo(mSummary.path).fileName());
    }
    o.insert(QStringLiteral("layer"), mSummary.layerNames.value(mTransform.layer));
    o.insert(QStringLiteral("seed1"), QString::number(mTransform.seed1));
    o.insert(QStringLiteral("seed2"), QString::number(mTransform.seed2));
    o.insert(QStringLiteral("channels"), toJson(mTransform.channels));
    o.insert(QStringLiteral("edit"),
             QJsonDocument::fromJson(QByteArray::fromStdString(mTransform.edit.toJson())).object());
    if (!mSummary.classNames.isEmpty()) {
        o.insert(QStringLiteral("class1"), mTransform.class1);
        o.insert(QStringLiteral("class2"), mTransform.class2);
        o.insert(QStringLiteral("class_after_cut"),
                 mTransform.classFromDonor ? QStringLiteral("donor") : QStringLiteral("base"));
        o.insert(QStringLiteral("classes"), QJsonArray::fromStringList(mSummary.classNames));
    }
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject ExploreView::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("interpolation"),
             QString::fromStdString(
                 lx::Exploration::modeName(static_cast<lx::Interpolation>(mMode->currentData().toInt()))));
    o.insert(QStringLiteral("apply_transform"), mApply->isChecked());
    o.insert(QStringLiteral("show_originals"), mShowOriginals->isChecked());
    o.insert(QStringLiteral("class_path"), classPathName(static_cast<ClassPath>(mClassPath->currentData().toInt())));
    o.insert(QStringLiteral("row_per_class"), mRowPerClass->isChecked());
    const QJsonObject directions = mDirections->sessionJson();
    if (!directions.isEmpty())
        o.insert(QStringLiteral("directions"), directions);
    return viewSettings().toJson(o);
}

ViewSettings ExploreView::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("frames"), mFrames)
        .add(QStringLiteral("t"), mSlider)
        .add(QStringLiteral("grid_first_seed"), mFirstSeed)
        .add(QStringLiteral("grid_rows"), mRows)
        .add(QStringLiteral("grid_cols"), mCols)
        .add(QStringLiteral("truncation"), mTruncation);
}

void ExploreView::restoreSessionJson(const QJsonObject& json)
{
    if (json.isEmpty())
        return;
    try {
        const auto mode = lx::Exploration::modeFromName(
            json.value(QStringLiteral("interpolation")).toString(QStringLiteral("spherical")).toStdString());
        mMode->setCurrentIndex(mMode->findData(int(mode)));
    } catch (const lx::Error&) {
        // an unknown path name: keep the current one
    }
    viewSettings().restore(json);
    mApply->setChecked(json.value(QStringLiteral("apply_transform")).toBool(false));
    mShowOriginals->setChecked(json.value(QStringLiteral("show_originals")).toBool(true));
    mRowPerClass->setChecked(json.value(QStringLiteral("row_per_class")).toBool(true));
    const int path = mClassPath->findData(int(classPathFromName(json.value(QStringLiteral("class_path")).toString())));
    mClassPath->setCurrentIndex(path >= 0 ? path : 0); // a class path the model cannot take: the latent
    mDirections->restoreSessionJson(json.value(QStringLiteral("directions")).toObject());
}

void ExploreView::requireExportTarget(const QString& path) const
{
    if (!mHasModel)
        throw lx::Error("no model open");
    if (mTasks->isRunning())
        throw lx::Error("another export is running");
    const QString parent = QFileInfo(path).absolutePath();
    if (!QFileInfo(parent).isDir())
        throw lx::Error(
            QStringLiteral("cannot write %1: the folder %2 does not exist").arg(path, parent).toStdString());
}

void ExploreView::exportFrames(const QString& folder, int frames)
{
    requireExportTarget(folder);
    // The folder is created whole at the end (FrameSequenceWriter): refuse an existing one before computing.
    if (QFileInfo::exists(folder))
        throw lx::Error(
            QStringLiteral("cannot write %1: it exists already (choose a new folder name)").arg(folder).toStdString());
    const InterpolationRequest request = interpolationRequest(frames);
    QJsonObject extra;
    extra.insert(QStringLiteral("interpolation"), QString::fromStdString(lx::Exploration::modeName(request.mode)));
    extra.insert(QStringLiteral("frames"), frames);
    extra.insert(QStringLiteral("apply_transform"), request.applyTransform);
    if (!mSummary.classNames.isEmpty())
        extra.insert(QStringLiteral("class_path"), classPathName(request.classPath));
    const QByteArray prov = provenance(QStringLiteral("interpolation PNG sequence"), extra);
    mTasks->start(
        Task::onModel(tr("Interpolation frames"), ExploreTasks::interpolationTask(request), mSummary.generation),
        [this, folder, prov](const QVariant& v) {
            const InterpolationData data = v.value<InterpolationData>();
            try {
                FrameSequenceWriter::write(folder, data.frames, prov);
                Q_EMIT message(tr("Wrote %1 frames to %2").arg(data.frames.size()).arg(folder));
            } catch (const lx::Error& e) {
                Q_EMIT message(QString::fromStdString(e.what()));
            }
        });
}

void ExploreView::exportGif(const QString& path, int frames, int fps)
{
    requireExportTarget(path);
    if (fps < 1 || fps > 100)
        throw lx::Error("GIF: frames per second must be between 1 and 100");
    const int delay = std::max(1, int(std::lround(100.0 / fps)));
    mTasks->start(Task::onModel(tr("Interpolation GIF"), ExploreTasks::interpolationTask(interpolationRequest(frames)),
                                mSummary.generation),
                  [this, path, delay](const QVariant& v) {
                      const InterpolationData data = v.value<InterpolationData>();
                      std::vector<lx::Image8> images;
                      for (const QImage& frame : data.frames)
                          images.push_back(ImageConvert::toImage8(frame));
                      try {
                          lx::Gif::write(path.toStdString(), images, delay);
                          Q_EMIT message(tr("Wrote %1 (%2 frames)").arg(path).arg(images.size()));
                      } catch (const lx::Error& e) {
                          Q_EMIT message(QString::fromStdString(e.what()));
                      }
                  });
}

void ExploreView::exportGridImage(const QString& path) const
{
    if (mGrid.transformedImages.isEmpty())
        throw lx::Error("no sample grid yet");
    QString error;
    if (!mGridStrips->saveImage(path, &error))
        throw lx::Error(error.toStdString());
}

void ExploreView::exportGridData(const QString& folder) const
{
    if (mGrid.transformedImages.isEmpty())
        throw lx::Error("no sample grid yet");
    const QDir dir(folder);
    if (!dir.exists())
        throw lx::Error(QStringLiteral("cannot write %1: no such folder").arg(folder).toStdString());
    lx::Npy::write(dir.filePath(QStringLiteral("originals.npy")).toStdString(), mGrid.originals);
    lx::Npy::write(dir.filePath(QStringLiteral("transformed.npy")).toStdString(), mGrid.transformed);
    const bool conditional = !mSummary.classNames.isEmpty();
    QByteArray csv(conditional ? "index,row,col,seed,class\n" : "index,row,col,seed\n");
    const SampleGridRequest& r = mGrid.request;
    for (int i = 0; i < r.rows * r.cols; ++i) {
        csv += QByteArray::number(i) + ',' + QByteArray::number(i / r.cols) + ',' + QByteArray::number(i % r.cols) + ','
            + QByteArray::number(ExploreTasks::gridSeed(r, i));
        if (conditional)
            csv += ',' + QByteArray::number(r.rowPerClass ? i / r.cols : r.transform.class1);
        csv += '\n';
    }
    QJsonObject extra;
    extra.insert(QStringLiteral("first_seed"), QString::number(r.firstSeed));
    extra.insert(QStringLiteral("rows"), r.rows);
    extra.insert(QStringLiteral("cols"), r.cols);
    extra.insert(QStringLiteral("truncation"), r.truncation);
    if (conditional)
        extra.insert(QStringLiteral("row_per_class"), r.rowPerClass);
    const QByteArray json = provenance(QStringLiteral("sample grid data"), extra) + '\n';
    for (const auto& [name, bytes] : {std::pair<QString, QByteArray>{QStringLiteral("seeds.csv"), csv},
                                      {QStringLiteral("provenance.json"), json}}) {
        QSaveFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit())
            throw lx::Error(
                QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()).toStdString());
    }
}

} // namespace lx::ui
