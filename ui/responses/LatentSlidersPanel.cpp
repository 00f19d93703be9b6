#include "ui/responses/LatentSlidersPanel.h"

#include "lx/LatentSampler.h"
#include "ui/compute/ComputeController.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/responses/ResponseTasks.h"
#include "ui/widgets/ValueBar.h"
#include "ui/widgets/ViewSettings.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lx::ui {
namespace {

QScrollArea* scrollAround(QWidget* inner, QWidget* parent)
{
    auto* scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(inner);
    return scroll;
}

} // namespace

LatentSlidersPanel::LatentSlidersPanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setToolTip(tr("Seed of the prior sample"));
    auto* sample = new QPushButton(tr("Prior Sample"), this);
    auto* zeroButton = new QPushButton(tr("Zero"), this);
    auto* apply = new QPushButton(tr("z ← R(z)"), this);
    apply->setToolTip(tr("Replace z by its response: one step of the iteration"));
    for (QPushButton* button : {sample, zeroButton, apply})
        button->setAutoDefault(false);
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    mExport = new ExportMenu(tr("Export"), this);
    mExport->addImage(tr("Save Traversal Strips as PNG…"), QStringLiteral("traversals"),
                      [this](const QString& path, QString* error) { return mTraversals->saveImage(path, error); });
    mExport->addImage(tr("Save Iterated Responses as PNG…"), QStringLiteral("iterated"),
                      [this](const QString& path, QString* error) { return mIterate->saveImage(path, error); });
    mExport->addArrays(QStringLiteral("latents"), [this] { return arrays(); });
    exportButton->setMenu(mExport);
    connect(mExport, &ExportMenu::message, this, &LatentSlidersPanel::message);
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(mSeed);
    bar->addWidget(sample);
    bar->addWidget(zeroButton);
    bar->addWidget(apply);
    bar->addWidget(exportButton);
    bar->addStretch(1);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    // Sliders.
    mSliderArea = new QWidget(split);
    mGrid = new QGridLayout(mSliderArea);
    mGrid->setContentsMargins(2, 2, 2, 2);
    mGrid->setHorizontalSpacing(6);
    mGrid->setVerticalSpacing(1);
    QScrollArea* sliders = scrollAround(mSliderArea, split);
    sliders->setMinimumWidth(kSlidersMinWidth);
    split->addWidget(sliders);
    // The decoded latent and its response.
    auto* middle = new QWidget(split);
    auto* middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    mImageView = new ImageView(tr("x(z)"), middle);
    mResponseView = new ImageView(tr("x(R(z))"), middle);
    mImageView->setPlaceholderText(tr("Move a slider"));
    mResponseView->setPlaceholderText(tr("The decoded response R(z)"));
    middleLayout->addWidget(mImageView, 1);
    middleLayout->addWidget(mResponseView, 1);
    split->addWidget(middle);
    // Traversal strips, and the iterated responses under them.
    auto* right = new QWidget(split);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* traversalBar = new QHBoxLayout;
    mRadius = new QDoubleSpinBox(right);
    mRadius->setRange(0.1, 20.0);
    mRadius->setSingleStep(0.5);
    mRadius->setValue(2.0);
    mTraversalSteps = new QSpinBox(right);
    mTraversalSteps->setRange(2, 64);
    mTraversalSteps->setValue(9);
    traversalBar->addWidget(new QLabel(tr("Traversals ±"), right));
    traversalBar->addWidget(mRadius);
    traversalBar->addWidget(new QLabel(tr("steps"), right));
    traversalBar->addWidget(mTraversalSteps);
    traversalBar->addStretch(1);
    rightLayout->addLayout(traversalBar);
    mTraversalNote = new QLabel(right);
    mTraversalNote->setWordWrap(true);
    rightLayout->addWidget(mTraversalNote);
    mTraversals = new ImageStrips(right);
    mTraversals->clear(tr("One strip per dimension: decode z with that dimension swept over [−r, r]"));
    rightLayout->addWidget(scrollAround(mTraversals, right), 1);
    auto* iterateBar = new QHBoxLayout;
    mIterateSteps = new QSpinBox(right);
    mIterateSteps->setRange(1, 64);
    mIterateSteps->setValue(8);
    iterateBar->addWidget(new QLabel(tr("Iterated responses z → R(z) → R(R(z)) …, steps"), right));
    iterateBar->addWidget(mIterateSteps);
    iterateBar->addStretch(1);
    rightLayout->addLayout(iterateBar);
    mIterate = new ImageStrips(right);
    mIterate->clear(tr("z → R(z) → R(R(z)) …"));
    rightLayout->addWidget(mIterate);
    split->addWidget(right);
    split->setSizes({kSlidersMinWidth, 260, 740}); // proportions until the user moves the handles
    layout->addWidget(split, 1);

    mStripTimer.setSingleShot(true);
    mStripTimer.setInterval(kStripDelayMs);
    connect(&mStripTimer, &QTimer::timeout, this, &LatentSlidersPanel::refreshStrips);
    connect(sample, &QPushButton::clicked, this, &LatentSlidersPanel::samplePrior);
    connect(zeroButton, &QPushButton::clicked, this, &LatentSlidersPanel::zero);
    connect(apply, &QPushButton::clicked, this, &LatentSlidersPanel::applyResponse);
    for (auto* box : {mTraversalSteps, mIterateSteps})
        connect(box, &QSpinBox::valueChanged, &mStripTimer, qOverload<>(&QTimer::start));
    connect(mRadius, &QDoubleSpinBox::valueChanged, &mStripTimer, qOverload<>(&QTimer::start));
}

void LatentSlidersPanel::buildSliders(int latentSize)
{
    while (QLayoutItem* item = mGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    mSliders.clear();
    mValueLabels.clear();
    mResponseLabels.clear();
    mBars.clear();
    mGrid->addWidget(new QLabel(tr("<b>dim</b>"), mSliderArea), 0, 0);
    mGrid->addWidget(new QLabel(tr("<b>z</b>"), mSliderArea), 0, 1, 1, 2, Qt::AlignCenter);
    mGrid->addWidget(new QLabel(tr("<b>R(z)</b>"), mSliderArea), 0, 3, 1, 2, Qt::AlignCenter);
    const QString width = valueText(-9.99);
    for (int i = 0; i < latentSize; ++i) {
        auto* slider = new QSlider(Qt::Horizontal, mSliderArea);
        const int ticks = static_cast<int>(kSliderRange * kTicksPerUnit);
        slider->setRange(-ticks, ticks);
        slider->setPageStep(kTicksPerUnit / 2);
        slider->setMinimumWidth(100);
        slider->setAccessibleName(QStringLiteral("z%1").arg(i));
        auto* value = new QLabel(valueText(0.0), mSliderArea);
        auto* response = new QLabel(QStringLiteral("–"), mSliderArea);
        for (QLabel* label : {value, response}) {
            label->setMinimumWidth(fontMetrics().horizontalAdvance(width) + 4);
            label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }
        auto* gauge = new ValueBar(kSliderRange, mSliderArea);
        const int row = i + 1;
        mGrid->addWidget(new QLabel(QStringLiteral("z%1").arg(i), mSliderArea), row, 0);
        mGrid->addWidget(slider, row, 1);
        mGrid->addWidget(value, row, 2);
        mGrid->addWidget(gauge, row, 3);
        mGrid->addWidget(response, row, 4);
        connect(slider, &QSlider::valueChanged, this, [this, i](int v) { onSlider(i, v); });
        mSliders << slider;
        mValueLabels << value;
        mResponseLabels << response;
        mBars << gauge;
    }
    mGrid->setColumnStretch(1, 3);
    mGrid->setColumnStretch(3, 2);
    mGrid->setRowStretch(latentSize + 1, 1);
}

void LatentSlidersPanel::setModel(const ModelSummary& summary, int latentSize)
{
    mGeneration = summary.generation;
    mFirstSeq = mController->nextTaskId();
    mLastProbeSeq = mShownProbeSeq = 0;
    mMatrixDiagonal.clear();
    mProbe = LatentProbe();
    mStrips = TraversalStrips();
    mIterated = IteratedResponses();
    mZ = QVector<float>(latentSize, 0.0f);
    buildSliders(latentSize);
    mImageView->clear();
    mResponseView->clear();
    mTraversals->clear(tr("One strip per dimension: decode z with that dimension swept over [−r, r]"));
    mIterate->clear(tr("z → R(z) → R(R(z)) …"));
    mTraversalNote->clear();
}

void LatentSlidersPanel::setMatrixDiagonal(const QVector<float>& diagonal)
{
    mMatrixDiagonal = diagonal;
    if (!mZ.isEmpty() && mShownProbeSeq != 0)
        mStripTimer.start();
}

QString LatentSlidersPanel::valueText(double v) const { return QString::number(v, 'f', 2); }

void LatentSlidersPanel::setLatent(const QVector<float>& z)
{
    if (z.size() != mZ.size())
        return;
    mZ = z;
    for (int i = 0; i < mSliders.size(); ++i) {
        const QSignalBlocker block(mSliders[i]);
        mSliders[i]->setValue(static_cast<int>(std::lround(z[i] * kTicksPerUnit))); // clamped by the slider
        mValueLabels[i]->setText(valueText(z[i]));
    }
    postProbe();
    mStripTimer.start();
}

void LatentSlidersPanel::samplePrior()
{
    const int d = latentSize();
    if (d == 0)
        return;
    const lx::Array z = lx::LatentSampler({d}).sample({static_cast<uint64_t>(mSeed->value())});
    setLatent(floatsOf(z));
}

void LatentSlidersPanel::zero() { setLatent(QVector<float>(latentSize(), 0.0f)); }

void LatentSlidersPanel::applyResponse()
{
    if (mProbe.response.size() == latentSize() && mProbe.z == mZ)
        setLatent(mProbe.response);
}

void LatentSlidersPanel::onSlider(int dim, int value)
{
    mZ[dim] = static_cast<float>(double(value) / kTicksPerUnit);
    mValueLabels[dim]->setText(valueText(mZ[dim]));
    postProbe();
    mStripTimer.start();
}

void LatentSlidersPanel::postProbe()
{
    if (mGeneration == 0 || mZ.isEmpty())
        return;
    mLastProbeSeq = mController
                        ->run(Task::onModel(tr("latent response"), ResponseTasks::probeTask(mZ), mGeneration)
                                  .latest(QLatin1String(kProbeKey)))
                        ->deliverTo(this, &LatentSlidersPanel::onLatest, &LatentSlidersPanel::onLatestFailed);
}

void LatentSlidersPanel::refreshStrips()
{
    if (mGeneration == 0 || mZ.isEmpty())
        return;
    mController
        ->run(
            Task::onModel(tr("traversal strips"),
                          ResponseTasks::traversalTask(mZ, mRadius->value(), mTraversalSteps->value(), mMatrixDiagonal),
                          mGeneration)
                .latest(QLatin1String(kTraversalKey)))
        ->deliverTo(this, &LatentSlidersPanel::onLatest, &LatentSlidersPanel::onLatestFailed);
    mController
        ->run(
            Task::onModel(tr("iterated responses"), ResponseTasks::iterateTask(mZ, mIterateSteps->value()), mGeneration)
                .latest(QLatin1String(kIterateKey)))
        ->deliverTo(this, &LatentSlidersPanel::onLatest, &LatentSlidersPanel::onLatestFailed);
}

void LatentSlidersPanel::onLatest(const QString& key, quint64 seq, const QVariant& result)
{
    if (seq < mFirstSeq)
        return;
    if (key == QLatin1String(kProbeKey) && result.canConvert<LatentProbe>()) {
        mShownProbeSeq = seq;
        showProbe(result.value<LatentProbe>());
    } else if (key == QLatin1String(kTraversalKey) && result.canConvert<TraversalStrips>()) {
        showStrips(result.value<TraversalStrips>());
    } else if (key == QLatin1String(kIterateKey) && result.canConvert<IteratedResponses>()) {
        showIterated(result.value<IteratedResponses>());
    }
}

void LatentSlidersPanel::onLatestFailed(const QString& key, quint64 seq, const QString& error)
{
    if (seq < mFirstSeq)
        return;
    if (key == QLatin1String(kProbeKey) || key == QLatin1String(kTraversalKey) || key == QLatin1String(kIterateKey))
        Q_EMIT message(tr("Latent responses: %1").arg(error));
}

void LatentSlidersPanel::showProbe(const LatentProbe& probe)
{
    mProbe = probe;
    mImageView->setImage(probe.image);
    mResponseView->setImage(probe.responseImage);
    double moved = 0.0;
    for (int i = 0; i < probe.response.size() && i < mResponseLabels.size(); ++i) {
        mResponseLabels[i]->setText(valueText(probe.response[i]));
        mBars[i]->setValues(probe.z.value(i), probe.response[i]);
        moved += std::pow(double(probe.response[i]) - probe.z.value(i), 2);
    }
    mResponseView->setSubtitle(tr("|R(z) − z| = %1").arg(std::sqrt(moved), 0, 'f', 3));
    Q_EMIT probeShown();
}

void LatentSlidersPanel::showStrips(const TraversalStrips& strips)
{
    mStrips = strips;
    QVector<ImageStrips::Row> rows;
    for (int dim : strips.order)
        rows.append(
            {QStringLiteral("z%1  %2").arg(dim).arg(strips.diagonal.value(dim), 0, 'g', 2), strips.strips.value(dim)});
    QStringList captions;
    for (double v : strips.values)
        captions << QString::number(v, 'f', 1);
    mTraversals->setRows(rows, captions);
    mTraversalNote->setText(tr("Dims %1; the number after each is that response.").arg(strips.orderNote));
    Q_EMIT stripsShown();
}

QMap<QString, lx::Array> LatentSlidersPanel::arrays() const
{
    QMap<QString, lx::Array> arrays;
    const int d = latentSize();
    if (d == 0 || mProbe.z.size() != d)
        return arrays;
    arrays.insert(QStringLiteral("z"), arrayOf(mProbe.z, {d}));
    arrays.insert(QStringLiteral("response"), arrayOf(mProbe.response, {d}));
    if (mIterated.dims == d)
        arrays.insert(QStringLiteral("iterated_path"), arrayOf(mIterated.path, {mIterated.steps() + 1, d}));
    if (mStrips.diagonal.size() == d) {
        QVector<float> key(mStrips.diagonal.begin(), mStrips.diagonal.end());
        arrays.insert(QStringLiteral("traversal_diagonal"), arrayOf(key, {d}));
    }
    return arrays;
}

void LatentSlidersPanel::showIterated(const IteratedResponses& iterated)
{
    mIterated = iterated;
    QStringList captions;
    for (int k = 0; k <= iterated.steps(); ++k)
        captions << (k == 0 ? QStringLiteral("z") : k == 1 ? QStringLiteral("R(z)") : QStringLiteral("R%1").arg(k));
    mIterate->setRows({{QString(), iterated.images}}, captions);
    Q_EMIT iteratedShown();
}

QJsonObject LatentSlidersPanel::sessionJson() const { return viewSettings().toJson(); }

void LatentSlidersPanel::restoreSessionJson(const QJsonObject& json) { viewSettings().restore(json); }

ViewSettings LatentSlidersPanel::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("seed"), mSeed)
        .add(QStringLiteral("radius"), mRadius)
        .add(QStringLiteral("traversal_steps"), mTraversalSteps)
        .add(QStringLiteral("iterate_steps"), mIterateSteps);
}

} // namespace lx::ui
