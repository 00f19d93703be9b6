#include "ui/explore/DirectionsPanel.h"

#include "lx/Model.h"
#include "lx/SeedClasses.h"
#include "ui/compute/ComputeController.h"
#include "ui/explore/ExploreTasks.h"
#include "ui/figure/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/compute/TaskBar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lx::ui {
namespace {

const char* const kDirectionsPreviewKey = "explore/directions";

// A slider position in standard deviations: "+1.5σ", "-0.3σ" (zero reads "+0.0σ").
QString sigmaText(int ticks)
{
    const double v = double(ticks) / DirectionsPanel::kTicksPerSigma;
    return QStringLiteral("%1%2σ").arg(ticks >= 0 ? QStringLiteral("+") : QString()).arg(v, 0, 'f', 1);
}

} // namespace

DirectionsPanel::DirectionsPanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* left = new QVBoxLayout;
    auto* controls = new QHBoxLayout;
    mLayer = new QComboBox(this);
    mSamples = new QSpinBox(this);
    mSamples->setRange(16, 20000);
    mSamples->setValue(2000);
    mSamples->setToolTip(tr("Prior samples (seeds 0 .. N-1) whose activations are analysed"));
    mK = new QSpinBox(this);
    mK->setRange(1, 16);
    mK->setValue(6);
    mCompute = new QPushButton(tr("Compute directions"), this);
    mReset = new QPushButton(tr("Reset"), this);
    mReset->setEnabled(false);
    controls->addWidget(new QLabel(tr("Layer"), this));
    controls->addWidget(mLayer);
    controls->addWidget(new QLabel(tr("Samples"), this));
    controls->addWidget(mSamples);
    controls->addWidget(new QLabel(tr("Components"), this));
    controls->addWidget(mK);
    controls->addStretch(1);
    controls->addWidget(mCompute);
    controls->addWidget(mReset);
    left->addLayout(controls);
    mStatus =
        new QLabel(tr("Principal components of a layer's activations, carried back to the latent (GANSpace)"), this);
    mStatus->setWordWrap(true);
    left->addWidget(mStatus);
    mSliderBox = new QWidget(this);
    new QGridLayout(mSliderBox);
    left->addWidget(mSliderBox);
    mTasks = new TaskBar(controller, this);
    left->addWidget(mTasks);
    layout->addLayout(left, 1);
    mPreviewView = new ImageView(tr("x(z1 + Σ s·σ·u)"), this);
    mPreviewView->setFixedSize(180, 200);
    layout->addWidget(mPreviewView, 0, Qt::AlignTop);

    connect(mCompute, &QPushButton::clicked, this, &DirectionsPanel::compute);
    connect(mReset, &QPushButton::clicked, this, &DirectionsPanel::resetAmounts);
    connect(mTasks, &TaskBar::message, this, &DirectionsPanel::message);
}

void DirectionsPanel::setModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = summary.layerCount() > 0;
    mLayer->clear();
    mLayer->addItems(summary.layerNames);
    mLayer->setCurrentIndex(summary.defaultLayer());
    mDirections = lx::PcaDirectionsResult();
    mPreview = QImage();
    mPreviewView->clear();
    mFirstSeq = std::numeric_limits<quint64>::max();
    showDirections(mDirections);
    mCompute->setEnabled(mHasModel);
}

void DirectionsPanel::setSeed(quint64 seed1, int class1)
{
    if (seed1 == mSeed1 && class1 == mClass1)
        return;
    mSeed1 = seed1;
    mClass1 = class1;
    if (hasDirections() && isVisible())
        postPreview();
}

void DirectionsPanel::compute()
{
    if (!mHasModel || mTasks->isRunning())
        return;
    const int layer = mLayer->currentIndex();
    const int64_t samples = mSamples->value();
    const int k = mK->value();
    mTasks->start(
        Task::onModel(
            tr("PCA directions at %1").arg(mLayer->currentText()),
            [layer, samples, k](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
                return QVariant::fromValue(lx::PcaDirections::compute(model, layer, samples, k, 0, progress, &cancel));
            },
            mSummary.generation),
        [this](const QVariant& v) { showDirections(v.value<lx::PcaDirectionsResult>()); });
}

void DirectionsPanel::showDirections(const lx::PcaDirectionsResult& directions)
{
    mDirections = directions;
    // Rebuild the sliders: one per direction, -3..3 standard deviations.
    for (QWidget* w : mSliderBox->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        delete w;
    mSliders.clear();
    mValueLabels.clear();
    mNames.clear();
    auto* grid = static_cast<QGridLayout*>(mSliderBox->layout());
    const int k = static_cast<int>(directions.sigma.size());
    for (int c = 0; c < k; ++c) {
        auto* name = new QLineEdit(tr("PC%1").arg(c + 1), mSliderBox);
        name->setToolTip(tr("Name this direction (e.g. 'sleeve length')"));
        name->setMaximumWidth(140);
        auto* info =
            new QLabel(tr("%1% of variance").arg(100.0 * directions.explained[size_t(c)], 0, 'f', 1), mSliderBox);
        auto* slider = new QSlider(Qt::Horizontal, mSliderBox);
        slider->setRange(-kMaxSigma * kTicksPerSigma, kMaxSigma * kTicksPerSigma);
        auto* value = new QLabel(sigmaText(0), mSliderBox);
        value->setMinimumWidth(48);
        grid->addWidget(name, c, 0);
        grid->addWidget(info, c, 1);
        grid->addWidget(slider, c, 2);
        grid->addWidget(value, c, 3);
        connect(slider, &QSlider::valueChanged, this, [this, value](int v) {
            value->setText(sigmaText(v));
            postPreview();
        });
        mSliders << slider;
        mValueLabels << value;
        mNames << name;
    }
    grid->setColumnStretch(2, 1);
    mReset->setEnabled(k > 0);
    // A restored session's names and amounts.
    for (int c = 0; c < k; ++c) {
        if (c < mPendingNames.size() && !mPendingNames[c].isEmpty())
            mNames[c]->setText(mPendingNames[c]);
        if (c < int(mPendingAmounts.size())) {
            const QSignalBlocker block(mSliders[c]);
            mSliders[c]->setValue(int(std::lround(mPendingAmounts[size_t(c)] * kTicksPerSigma)));
            mValueLabels[c]->setText(sigmaText(mSliders[c]->value()));
        }
    }
    mPendingNames.clear();
    mPendingAmounts.clear();
    if (k > 0) {
        double shown = 0.0;
        for (double e : directions.explained)
            shown += e;
        mStatus->setText(tr("%1 directions at %2 from %3 samples: %4% of the layer's variance. Drag a slider: z1 moves "
                            "along that direction (in standard deviations of its coordinate).")
                             .arg(k)
                             .arg(QString::fromStdString(directions.layerName))
                             .arg(directions.samples)
                             .arg(100.0 * shown, 0, 'f', 1));
        postPreview();
        Q_EMIT directionsReady();
    }
}

std::vector<double> DirectionsPanel::amounts() const
{
    std::vector<double> a;
    for (const QSlider* s : mSliders)
        a.push_back(double(s->value()) / kTicksPerSigma);
    return a;
}

QStringList DirectionsPanel::names() const
{
    QStringList n;
    for (const QLineEdit* e : mNames)
        n << e->text();
    return n;
}

QJsonObject DirectionsPanel::sessionJson() const
{
    QJsonObject o;
    if (!hasDirections())
        return o;
    o.insert(QStringLiteral("layer"), QString::fromStdString(mDirections.layerName));
    o.insert(QStringLiteral("samples"), qint64(mDirections.samples));
    o.insert(QStringLiteral("k"), int(mDirections.sigma.size()));
    QJsonArray names, amounts;
    for (const QString& n : this->names())
        names.append(n);
    for (double a : this->amounts())
        amounts.append(a);
    o.insert(QStringLiteral("names"), names);
    o.insert(QStringLiteral("amounts"), amounts);
    return o;
}

void DirectionsPanel::restoreSessionJson(const QJsonObject& json)
{
    const int layer = mLayer->findText(json.value(QStringLiteral("layer")).toString());
    if (json.isEmpty() || layer < 0 || !mHasModel)
        return;
    mLayer->setCurrentIndex(layer);
    mSamples->setValue(json.value(QStringLiteral("samples")).toInt(mSamples->value()));
    mK->setValue(json.value(QStringLiteral("k")).toInt(mK->value()));
    mPendingNames.clear();
    mPendingAmounts.clear();
    for (const QJsonValue& n : json.value(QStringLiteral("names")).toArray())
        mPendingNames << n.toString();
    for (const QJsonValue& a : json.value(QStringLiteral("amounts")).toArray())
        mPendingAmounts.push_back(std::clamp(a.toDouble(), double(-kMaxSigma), double(kMaxSigma)));
    compute();
}

void DirectionsPanel::resetAmounts()
{
    for (QSlider* s : std::as_const(mSliders)) {
        const QSignalBlocker block(s);
        s->setValue(0);
    }
    for (QLabel* l : std::as_const(mValueLabels))
        l->setText(sigmaText(0));
    postPreview();
}

void DirectionsPanel::postPreview()
{
    if (!mHasModel || !hasDirections())
        return;
    const lx::PcaDirectionsResult directions = mDirections;
    const std::vector<double> amounts = this->amounts();
    const quint64 seed = mSeed1;
    const int cls = mClass1;
    TaskHandle* task = mController->run(
        Task::onModel(
            tr("direction preview"),
            [directions, amounts, seed, cls](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken&) {
                const lx::Array z = lx::PcaDirections::apply(ExploreTasks::latentOf(model, seed), directions, amounts);
                return QVariant::fromValue(
                    ImageConvert::fromBatch(model.generate(z, lx::SeedClasses::repeated(model.card(), cls, 1)), 0,
                                            model.card().outputLow, model.card().outputHigh, model.outputShape()));
            },
            mSummary.generation)
            .latest(QLatin1String(kDirectionsPreviewKey)));
    const quint64 seq = task->id();
    mFirstSeq = std::min(mFirstSeq, seq);
    connect(task, &TaskHandle::finished, this, [this, seq](const QVariant& v) {
        if (seq >= mFirstSeq && v.canConvert<QImage>()) {
            mPreview = v.value<QImage>();
            mPreviewView->setImage(mPreview);
            Q_EMIT previewShown();
        }
    });
    connect(task, &TaskHandle::failed, this, [this, seq](const QString& error) {
        if (seq >= mFirstSeq)
            Q_EMIT message(tr("Directions: %1").arg(error));
    });
}

} // namespace lx::ui
