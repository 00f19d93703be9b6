#include "ui/hybrids/InterventionPanel.h"

#include "ui/hybrids/WorkbenchState.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

constexpr int kDecimals = 3;
constexpr double kValueLimit = 1000.0; // the spin box goes beyond the slider's range

struct OpInfo {
    lx::EditOp op;
    const char* label;
    const char* tip;
};

const OpInfo kOps[] = {
    {lx::EditOp::Scale, QT_TRANSLATE_NOOP("InterventionPanel", "Scale"),
     QT_TRANSLATE_NOOP("InterventionPanel",
                       "Multiply the channels' activations by a factor (0 ablates, 1 leaves them)")},
    {lx::EditOp::Set, QT_TRANSLATE_NOOP("InterventionPanel", "Set"),
     QT_TRANSLATE_NOOP("InterventionPanel",
                       "Set the channels' activations to a constant (GAN Dissection's unit insertion)")},
    {lx::EditOp::Offset, QT_TRANSLATE_NOOP("InterventionPanel", "Offset"),
     QT_TRANSLATE_NOOP("InterventionPanel", "Add a constant to the channels' activations")},
    {lx::EditOp::Ablate, QT_TRANSLATE_NOOP("InterventionPanel", "Ablate"),
     QT_TRANSLATE_NOOP("InterventionPanel", "Zero the channels (GAN Dissection's unit ablation)")},
    {lx::EditOp::CopyDonor, QT_TRANSLATE_NOOP("InterventionPanel", "Copy from z2"),
     QT_TRANSLATE_NOOP("InterventionPanel", "Take the channels from z2's pass (the counterfactual hybrid)")},
};

int opIndex(lx::EditOp op)
{
    return static_cast<int>(op); // EditOp's values index mPendingValue
}

QString channelList(const std::vector<int>& channels)
{
    QStringList parts;
    for (size_t i = 0; i < channels.size() && i < 24; ++i)
        parts << QString::number(channels[i]);
    if (channels.size() > 24)
        parts << QStringLiteral("…");
    return parts.join(QStringLiteral(", "));
}

} // namespace

InterventionPanel::InterventionPanel(QWidget* parent)
    : QWidget(parent)
{
    for (const OpInfo& info : kOps)
        mPendingValue[opIndex(info.op)] = defaultValue(info.op);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    mTarget = new QLabel(this);
    mTarget->setWordWrap(true);
    layout->addWidget(mTarget);

    auto* form = new QGridLayout;
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(6);
    mOp = new QComboBox(this);
    for (const OpInfo& info : kOps) {
        mOp->addItem(tr(info.label), opIndex(info.op));
        mOp->setItemData(mOp->count() - 1, tr(info.tip), Qt::ToolTipRole);
    }
    mOp->setToolTip(tr("What the next intervention does to the selected channels"));
    mSlider = new QSlider(Qt::Horizontal, this);
    mSlider->setRange(0, kSliderSteps);
    mSlider->setToolTip(tr("Drag to change the selected intervention live (or the value of the next one)"));
    mValue = new QDoubleSpinBox(this);
    mValue->setDecimals(kDecimals);
    mValue->setRange(-kValueLimit, kValueLimit);
    mValue->setKeyboardTracking(false);
    mValue->setMinimumWidth(84);
    mAdd = new QPushButton(tr("Add"), this);
    mAdd->setToolTip(tr("Add an intervention on the selected channels"));
    mClear = new QPushButton(tr("Clear"), this);
    mClear->setToolTip(tr("Remove every intervention"));
    for (QPushButton* b : {mAdd, mClear})
        b->setAutoDefault(false);
    form->addWidget(new QLabel(tr("Operation"), this), 0, 0);
    form->addWidget(mOp, 0, 1);
    form->addWidget(mAdd, 0, 2);
    form->addWidget(new QLabel(tr("Value"), this), 1, 0);
    auto* valueRow = new QHBoxLayout;
    valueRow->setSpacing(6);
    valueRow->addWidget(mSlider, 1);
    valueRow->addWidget(mValue);
    form->addLayout(valueRow, 1, 1, 1, 2);
    mBrush = new QPushButton(tr("Brush"), this);
    mBrush->setCheckable(true);
    mBrush->setToolTip(
        tr("Paint on the hybrid where the intervention acts (right button or Shift erases); "
           "without a mask it acts everywhere"));
    mRadius = new QSpinBox(this);
    mRadius->setRange(1, 64);
    mRadius->setValue(3);
    mRadius->setSuffix(tr(" px"));
    mRadius->setToolTip(tr("Brush radius, in image pixels"));
    mClearMask = new QPushButton(tr("Clear mask"), this);
    mClearMask->setToolTip(tr("Remove the mask: the intervention acts everywhere"));
    mMaskInfo = new QLabel(this);
    for (QPushButton* b : {mBrush, mClearMask})
        b->setAutoDefault(false);
    auto* maskRow = new QHBoxLayout;
    maskRow->setSpacing(6);
    maskRow->addWidget(mBrush);
    maskRow->addWidget(mRadius);
    maskRow->addWidget(mClearMask);
    maskRow->addStretch(1);
    form->addWidget(new QLabel(tr("Mask"), this), 2, 0);
    form->addLayout(maskRow, 2, 1, 1, 2);
    mMaskInfo->setForegroundRole(QPalette::PlaceholderText);
    form->addWidget(mMaskInfo, 3, 1, 1, 2);
    form->setColumnStretch(1, 1);
    layout->addLayout(form);

    mList = new QListWidget(this);
    mList->setObjectName(QStringLiteral("interventionList"));
    mList->setSelectionMode(QAbstractItemView::SingleSelection);
    mList->setToolTip(
        tr("Interventions, applied in order. Tick to switch one on or off; select one to "
           "drag its value."));
    layout->addWidget(mList, 1);

    auto* bottom = new QHBoxLayout;
    mHint = new QLabel(this);
    mHint->setWordWrap(true);
    mHint->setForegroundRole(QPalette::PlaceholderText);
    bottom->addWidget(mHint, 1);
    bottom->addWidget(mClear, 0, Qt::AlignTop);
    layout->addLayout(bottom);

    connect(mOp, &QComboBox::currentIndexChanged, this, &InterventionPanel::onOpChanged);
    connect(mSlider, &QSlider::valueChanged, this, &InterventionPanel::onSliderMoved);
    connect(mSlider, &QSlider::sliderReleased, this, [this] { ++mGesture; });
    connect(mValue, &QDoubleSpinBox::valueChanged, this, &InterventionPanel::onValueBoxChanged);
    connect(mValue, &QDoubleSpinBox::editingFinished, this, [this] { ++mGesture; });
    connect(mList, &QListWidget::currentRowChanged, this, &InterventionPanel::onCurrentRowChanged);
    connect(mAdd, &QPushButton::clicked, this, [this] {
        lx::Intervention i;
        i.op = currentOp();
        i.channels.assign(mSelected.begin(), mSelected.end());
        i.value = takesValue(i.op) ? mValue->value() : 1.0;
        if (mSpatial)
            setInterventionMask(i, mPendingMask);
        Q_EMIT addRequested(i);
    });
    connect(mClear, &QPushButton::clicked, this, &InterventionPanel::clearRequested);
    connect(mBrush, &QPushButton::toggled, this, &InterventionPanel::brushToggled);
    connect(mRadius, &QSpinBox::valueChanged, this, [this](int px) { Q_EMIT brushRadiusChanged(px); });
    connect(mClearMask, &QPushButton::clicked, this, [this] {
        const int row = currentIndex();
        if (row >= 0) {
            if (mEdit.interventions[size_t(row)].hasMask())
                Q_EMIT maskRequested(row, QImage());
        } else {
            mPendingMask = QImage();
            showMask();
        }
    });

    const QSignalBlocker blocker(mOp);
    setOp(lx::EditOp::Scale);
    onOpChanged();
    updateState();
    showMask();
}

std::pair<double, double> InterventionPanel::sliderRange(lx::EditOp op)
{
    switch (op) {
    case lx::EditOp::Scale:
        return {-1.0, 3.0};
    case lx::EditOp::Set:
        return {-3.0, 6.0};
    case lx::EditOp::Offset:
        return {-3.0, 3.0};
    default:
        return {0.0, 0.0};
    }
}

double InterventionPanel::defaultValue(lx::EditOp op)
{
    switch (op) {
    case lx::EditOp::Scale:
        return 1.5;
    case lx::EditOp::Set:
        return 2.0;
    case lx::EditOp::Offset:
        return 1.0;
    default:
        return 1.0;
    }
}

bool InterventionPanel::takesValue(lx::EditOp op)
{
    return op == lx::EditOp::Scale || op == lx::EditOp::Set || op == lx::EditOp::Offset;
}

void InterventionPanel::setEdit(const lx::LayerEdit& edit)
{
    const size_t before = mEdit.interventions.size();
    const int current = currentIndex();
    mEdit = edit;
    const size_t count = mEdit.interventions.size();
    if (count != before) {
        rebuildList();
        const int select = count > before ? int(count) - 1 : std::min(current, int(count) - 1);
        setCurrentIndex(select);
    } else {
        updateRows();
    }
    // Undo and redo move values: the slider follows the selected intervention.
    const int row = currentIndex();
    if (row >= 0 && takesValue(mEdit.interventions[size_t(row)].op))
        syncValueWidgets(mEdit.interventions[size_t(row)].value);
    updateState();
    showMask();
}

void InterventionPanel::setSpatial(bool spatial)
{
    mSpatial = spatial;
    if (!spatial && mBrush->isChecked())
        mBrush->setChecked(false);
    updateState();
}

void InterventionPanel::maskPainted(const QImage& mask)
{
    const int row = currentIndex();
    if (row >= 0) {
        Q_EMIT maskRequested(row, mask);
        return;
    }
    mPendingMask = mask;
    showMask();
}

QString InterventionPanel::maskText() const { return mMaskInfo->text(); }

void InterventionPanel::showMask()
{
    const int row = currentIndex();
    const QImage mask = row >= 0 ? maskImage(mEdit.interventions[size_t(row)]) : mPendingMask;
    if (mask.isNull()) {
        mMaskInfo->setText(tr("No mask: acts everywhere"));
    } else {
        double sum = 0.0;
        for (int y = 0; y < mask.height(); ++y) {
            const uchar* line = mask.constScanLine(y);
            for (int x = 0; x < mask.width(); ++x)
                sum += line[x];
        }
        mMaskInfo->setText(
            tr("Mask covers %1% of the image").arg(100.0 * sum / (255.0 * mask.width() * mask.height()), 0, 'f', 0));
    }
    mClearMask->setEnabled(mAvailable && mSpatial && !mask.isNull());
    Q_EMIT maskShown(mask);
}

void InterventionPanel::setSelection(const QString& layerName, const QVector<int>& channels)
{
    mLayerName = layerName;
    mSelected = channels;
    updateState();
}

void InterventionPanel::setAvailable(bool available)
{
    mAvailable = available;
    updateState();
    showMask();
}

int InterventionPanel::currentIndex() const
{
    const int row = mList->currentRow();
    return (row >= 0 && row < int(mEdit.interventions.size()) && mList->item(row)->isSelected()) ? row : -1;
}

void InterventionPanel::setCurrentIndex(int index)
{
    if (index < 0 || index >= mList->count()) {
        mList->setCurrentRow(-1);
        mList->clearSelection();
        onCurrentRowChanged();
        return;
    }
    mList->setCurrentRow(index, QItemSelectionModel::ClearAndSelect);
}

lx::EditOp InterventionPanel::currentOp() const { return static_cast<lx::EditOp>(mOp->currentData().toInt()); }

double InterventionPanel::value() const { return mValue->value(); }

void InterventionPanel::setOp(lx::EditOp op) { mOp->setCurrentIndex(mOp->findData(opIndex(op))); }

void InterventionPanel::setValue(double value) { mValue->setValue(value); }

QCheckBox* InterventionPanel::enabledBox(int row) const
{
    QListWidgetItem* item = mList->item(row);
    QWidget* widget = item ? mList->itemWidget(item) : nullptr;
    return widget ? widget->findChild<QCheckBox*>() : nullptr;
}

QAbstractButton* InterventionPanel::removeButton(int row) const
{
    QListWidgetItem* item = mList->item(row);
    QWidget* widget = item ? mList->itemWidget(item) : nullptr;
    return widget ? widget->findChild<QToolButton*>() : nullptr;
}

QString InterventionPanel::rowText(int row) const
{
    const QCheckBox* box = enabledBox(row);
    return box ? box->text() : QString();
}

void InterventionPanel::rebuildList()
{
    const QSignalBlocker blocker(mList);
    mList->clear();
    for (int row = 0; row < int(mEdit.interventions.size()); ++row) {
        auto* item = new QListWidgetItem(mList);
        auto* widget = new QWidget(mList);
        auto* rowLayout = new QHBoxLayout(widget);
        rowLayout->setContentsMargins(4, 1, 2, 1);
        rowLayout->setSpacing(4);
        auto* box = new QCheckBox(widget);
        box->setToolTip(tr("Switch this intervention on or off"));
        auto* remove = new QToolButton(widget);
        remove->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
        remove->setAutoRaise(true);
        remove->setToolTip(tr("Remove this intervention"));
        rowLayout->addWidget(box, 1);
        rowLayout->addWidget(remove);
        connect(box, &QCheckBox::toggled, this, [this, row](bool on) { Q_EMIT enabledRequested(row, on); });
        connect(remove, &QToolButton::clicked, this, [this, row] { Q_EMIT removeRequested(row); });
        item->setSizeHint(widget->sizeHint());
        mList->setItemWidget(item, widget);
    }
    updateRows();
}

void InterventionPanel::updateRows()
{
    for (int row = 0; row < mList->count(); ++row) {
        const lx::Intervention& i = mEdit.interventions[size_t(row)];
        QCheckBox* box = enabledBox(row);
        const QSignalBlocker blocker(box);
        box->setText(QStringLiteral("%1. %2").arg(row + 1).arg(describeIntervention(i)));
        box->setChecked(i.enabled);
        const QString tip = tr("%1\nChannels: %2").arg(describeIntervention(i), channelList(i.channels));
        mList->item(row)->setToolTip(tip);
        box->setToolTip(tip);
    }
}

void InterventionPanel::onCurrentRowChanged()
{
    ++mGesture;
    const int row = currentIndex();
    if (row >= 0) {
        const lx::Intervention& i = mEdit.interventions[size_t(row)];
        {
            const QSignalBlocker blocker(mOp);
            setOp(i.op);
        }
        onOpChanged();
    }
    updateState();
    showMask();
}

void InterventionPanel::onOpChanged()
{
    const lx::EditOp op = currentOp();
    const int row = currentIndex();
    if (row >= 0 && mEdit.interventions[size_t(row)].op != op) {
        // Another operation: the controls now describe the next intervention to add.
        const QSignalBlocker blocker(mList);
        mList->clearSelection();
        mList->setCurrentRow(-1);
        ++mGesture;
        showMask();
    }
    const int current = currentIndex();
    const double value = current >= 0 ? mEdit.interventions[size_t(current)].value : mPendingValue[opIndex(op)];
    if (takesValue(op)) {
        const auto [low, high] = sliderRange(op);
        mValue->setSingleStep((high - low) / 80.0);
        mValue->setPrefix(op == lx::EditOp::Scale ? QStringLiteral("×") : QString());
        syncValueWidgets(value);
    }
    updateState();
}

int InterventionPanel::sliderPosition(double value) const
{
    const auto [low, high] = sliderRange(currentOp());
    if (high <= low)
        return 0;
    const double t = (value - low) / (high - low);
    return std::clamp(int(std::lround(t * kSliderSteps)), 0, kSliderSteps);
}

double InterventionPanel::sliderValue(int position) const
{
    const auto [low, high] = sliderRange(currentOp());
    return low + (high - low) * double(position) / kSliderSteps;
}

void InterventionPanel::syncValueWidgets(double value)
{
    if (std::fabs(mValue->value() - value) > 1e-12) {
        const QSignalBlocker blocker(mValue);
        mValue->setValue(value);
    }
    const int position = sliderPosition(value);
    if (mSlider->value() != position) {
        const QSignalBlocker blocker(mSlider);
        mSlider->setValue(position);
    }
}

void InterventionPanel::onSliderMoved(int position)
{
    {
        const QSignalBlocker blocker(mValue);
        mValue->setValue(sliderValue(position)); // rounded to the box's decimals: the value used
    }
    valueEdited(mValue->value());
}

void InterventionPanel::onValueBoxChanged(double value)
{
    const int position = sliderPosition(value);
    if (mSlider->value() != position) {
        const QSignalBlocker blocker(mSlider);
        mSlider->setValue(position);
    }
    valueEdited(value);
}

void InterventionPanel::valueEdited(double value)
{
    const int row = currentIndex();
    if (row >= 0 && takesValue(mEdit.interventions[size_t(row)].op)) {
        if (mEdit.interventions[size_t(row)].value != value)
            Q_EMIT valueRequested(row, value, mGesture);
    } else {
        mPendingValue[opIndex(currentOp())] = value;
    }
}

void InterventionPanel::updateState()
{
    const bool valued = takesValue(currentOp());
    mOp->setEnabled(mAvailable);
    mSlider->setEnabled(mAvailable && valued);
    mValue->setEnabled(mAvailable && valued);
    mAdd->setEnabled(mAvailable && !mSelected.isEmpty());
    mClear->setEnabled(mAvailable && !mEdit.interventions.empty());
    mList->setEnabled(mAvailable);
    mBrush->setEnabled(mAvailable && mSpatial);
    mRadius->setEnabled(mAvailable && mSpatial);
    const int n = static_cast<int>(mSelected.size());
    if (!mAvailable)
        mTarget->setText(tr("Open a model with layers to intervene on them."));
    else if (n == 0)
        mTarget->setText(tr("Select channels of %1, then add an intervention on them.").arg(mLayerName));
    else
        mTarget->setText(tr("<b>Add</b> acts on the %1 selected channel%2 of %3.")
                             .arg(n)
                             .arg(n == 1 ? QString() : QStringLiteral("s"))
                             .arg(mLayerName));
    const int active = activeInterventions(mEdit);
    mHint->setText(active > 0
                       ? tr("Hybrid = x(z1) with %1 intervention%2 at %3 (the channel swap is off while any is on).")
                             .arg(active)
                             .arg(active == 1 ? QString() : QStringLiteral("s"))
                             .arg(mLayerName)
                       : tr("No intervention on: the hybrid takes the selected channels from z2."));
}

} // namespace lx::ui
