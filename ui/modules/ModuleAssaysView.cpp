#include "ui/modules/ModuleAssaysView.h"

#include "ui/compute/ComputeController.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/modules/RobustnessView.h"
#include "ui/widgets/ViewSettings.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace lx::ui {

ModuleAssaysView::ModuleAssaysView(ComputeController* controller, ModulesPanel* modules, QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    mTabs = new QTabWidget(this);
    mTabs->setDocumentMode(true);
    mGrid = new ModuleGridView(controller, mTabs);
    mRobustness = new RobustnessView(controller, mTabs);
    mTabs->addTab(mGrid, tr("Hybrid grid"));
    mTabs->setTabToolTip(0, tr("Rows z1, columns z2, one module swapped (Besserve et al., ICLR 2020)"));
    mTabs->addTab(mRobustness, tr("Classifier robustness"));
    mTabs->setTabToolTip(1, tr("Do hybrids keep the class of the sample that keeps the rest?"));
    layout->addWidget(mTabs);

    connect(modules, &ModulesPanel::modulesForLayer, this, [this](int layer, const ModulesResult& result) {
        mGrid->setModules(layer, result);
        mRobustness->setModules(layer, result);
    });
    connect(modules, &ModulesPanel::channelsRequested, mGrid, &ModuleGridView::selectModuleByChannels);
    connect(mGrid, &ModuleGridView::message, this, &ModuleAssaysView::message);
    connect(mRobustness, &RobustnessView::message, this, &ModuleAssaysView::message);
}

void ModuleAssaysView::setModel(const ModelSummary& summary)
{
    mGrid->setModel(summary);
    mRobustness->setModel(summary);
}

void ModuleAssaysView::showGrid() { mTabs->setCurrentWidget(mGrid); }

void ModuleAssaysView::showRobustness() { mTabs->setCurrentWidget(mRobustness); }

QJsonObject ModuleAssaysView::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("grid"), mGrid->sessionJson());
    o.insert(QStringLiteral("robustness"), mRobustness->sessionJson());
    return ViewSettings().add(QStringLiteral("tab"), mTabs).toJson(o);
}

void ModuleAssaysView::restoreSessionJson(const QJsonObject& json)
{
    mGrid->restoreSessionJson(json.value(QStringLiteral("grid")).toObject());
    mRobustness->restoreSessionJson(json.value(QStringLiteral("robustness")).toObject());
    ViewSettings().add(QStringLiteral("tab"), mTabs).restore(json);
}

} // namespace lx::ui
