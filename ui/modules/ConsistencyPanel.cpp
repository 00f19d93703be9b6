#include "ui/modules/ConsistencyPanel.h"

#include "ui/modules/ConsistencyPlot.h"
#include "ui/modules/ModuleTasks.h"
#include "ui/compute/TaskBar.h"

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lx::ui {

ConsistencyPanel::ConsistencyPanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    registerModuleAssayTypes();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* form = new QGridLayout;
    mKMin = new QSpinBox(this);
    mKMin->setRange(1, 64);
    mKMin->setValue(2);
    mKMax = new QSpinBox(this);
    mKMax->setRange(1, 64);
    mKMax->setValue(8);
    mCompute = new QPushButton(tr("Compute curve"), this);
    mCompute->setAutoDefault(false);
    mCompute->setToolTip(
        tr("Factorise the maps shown and a second, independent set of maps for every K; "
           "match the two sets' templates and plot their mean cosine similarity"));
    form->addWidget(new QLabel(tr("K from"), this), 0, 0);
    form->addWidget(mKMin, 0, 1);
    form->addWidget(new QLabel(tr("to"), this), 0, 2);
    form->addWidget(mKMax, 0, 3);
    form->addWidget(mCompute, 0, 4);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    layout->addLayout(form);
    mTasks = new TaskBar(controller, this);
    layout->addWidget(mTasks);
    mPlot = new ConsistencyPlot(this);
    layout->addWidget(mPlot, 1);

    connect(mCompute, &QPushButton::clicked, this, &ConsistencyPanel::computeRequested);
    connect(mKMin, &QSpinBox::valueChanged, this, [this](int v) {
        if (mKMax->value() < v)
            mKMax->setValue(v);
    });
    connect(mKMax, &QSpinBox::valueChanged, this, [this](int v) {
        if (mKMin->value() > v)
            mKMin->setValue(v);
    });
    connect(mTasks, &TaskBar::runningChanged, this, &ConsistencyPanel::updateState);
    connect(mTasks, &TaskBar::message, this, &ConsistencyPanel::message);
    connect(mTasks, &TaskBar::finished, this, [this](quint64, bool ok) {
        if (!ok)
            mPlot->clear(mTasks->statusText());
    });
    updateState();
}

bool ConsistencyPanel::isRunning() const { return mTasks->isRunning(); }

void ConsistencyPanel::setAvailable(bool available, const QString& key, int channels)
{
    mAvailable = available;
    if (channels > 0)
        mKMax->setMaximum(std::max(1, channels));
    if (key != mKey) {
        mKey = key;
        mResult = ConsistencyData();
        mPlot->clear(available ? tr("Press Compute curve to compare K values")
                               : tr("Compute the influence maps of a layer first"));
    }
    updateState();
}

void ConsistencyPanel::start(const ConsistencyRequest& request, quint64 modelGeneration)
{
    if (isRunning() || !mAvailable)
        return;
    mJobKey = mKey;
    mPlot->clear(tr("Computing a second set of %1 pairs, then K = %2 … %3…")
                     .arg(request.pairs)
                     .arg(request.kMin)
                     .arg(request.kMax));
    mTasks->start(Task::onModel(tr("Consistency over K"), ModuleTasks::consistencyTask(request), modelGeneration),
                  [this](const QVariant& v) {
                      if (mJobKey == mKey)
                          showResult(v.value<ConsistencyData>());
                  });
}

void ConsistencyPanel::showResult(const ConsistencyData& data)
{
    mResult = data;
    const ConsistencyRequest& r = data.request;
    QString title = tr("%1 + %1 pairs").arg(r.pairs);
    if (r.sigma > 0)
        title += tr(" · σ %1 px").arg(r.sigma);
    if (r.threshold > 0)
        title += tr(" · q %1").arg(r.threshold);
    mPlot->setPoints(data.points, title);
    Q_EMIT message(tr("Consistency over K computed in %1 s").arg(data.computeMs / 1000.0, 0, 'f', 1));
}

void ConsistencyPanel::updateState()
{
    mCompute->setEnabled(mAvailable && !isRunning());
    if (!isRunning() && !mAvailable && !hasResult())
        mPlot->clear(tr("Compute the influence maps of a layer first"));
}

} // namespace lx::ui
