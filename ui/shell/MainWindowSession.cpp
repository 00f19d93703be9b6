// MainWindow as a SessionHost: the parts of a session document that live in the window's views.
#include "ui/shell/MainWindow.h"

#include "lx/Error.h"
#include "lx/LayerEdit.h"
#include "ui/cgn/CgnMixerView.h"
#include "ui/explore/ExploreView.h"
#include "ui/hybrids/InterventionPanel.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/responses/ResponsesView.h"
#include "ui/vq/VqView.h"

#include <QDockWidget>
#include <QTabWidget>

namespace lx::ui {

lx::ModuleSettings MainWindow::moduleSettings() const { return mModulesPanel->settings(); }

void MainWindow::setModuleSettings(const lx::ModuleSettings& settings) { mModulesPanel->setSettings(settings); }

QVector<QVector<int>> MainWindow::modulesOf(int layer) const { return mModulesPanel->modulesOf(layer); }

QJsonObject MainWindow::viewState() const
{
    QJsonObject view;
    view.insert(QStringLiteral("central_tab"), mCentralTabs->currentIndex());
    // The tab's name too: indexes move when tabs are added (older sessions have the index only).
    view.insert(QStringLiteral("central_tab_name"), mCentralTabs->tabText(mCentralTabs->currentIndex()));
    if (!cgnOpen() && !vqOpen()) { // a generator or autoencoder: its Explore tab, maps and assays
        view.insert(QStringLiteral("explore"), mExplore->sessionJson());
        view.insert(QStringLiteral("influence"), mInfluencePanel->sessionJson());
        view.insert(QStringLiteral("module_assays"), mModuleAssays->sessionJson());
    }
    if (cgnOpen()) // the CGN mixer's classes, mixes, seeds and grid
        view.insert(QStringLiteral("cgn"), mCgnMixer->sessionJson());
    if (vqOpen()) // the Codes tab's image, code edits, actions, image y and settings
        view.insert(QStringLiteral("vq"), mVqView->sessionJson());
    if (mResponsesView->isAvailable()) // the autoencoder's Latent responses tab
        view.insert(QStringLiteral("responses"), mResponsesView->sessionJson());
    view.insert(QStringLiteral("intervention"), mInterventionPanel->currentIndex());
    view.insert(QStringLiteral("intervention_op"),
                QString::fromStdString(lx::LayerEdit::opName(mInterventionPanel->currentOp())));
    return view;
}

void MainWindow::restoreViewState(const QJsonObject& view, bool interventions)
{
    int tab = view.value(QStringLiteral("central_tab")).toInt(0);
    for (int i = 0; i < mCentralTabs->count(); ++i) {
        if (view.contains(QStringLiteral("central_tab_name"))
            && mCentralTabs->tabText(i) == view.value(QStringLiteral("central_tab_name")).toString())
            tab = i;
    }
    if (!cgnOpen() && !vqOpen()) {
        mExplore->restoreSessionJson(view.value(QStringLiteral("explore")).toObject());
        mInfluencePanel->restoreSessionJson(view.value(QStringLiteral("influence")).toObject());
        mModuleAssays->restoreSessionJson(view.value(QStringLiteral("module_assays")).toObject());
    }
    if (tab >= 0 && tab < mCentralTabs->count() && mCentralTabs->isTabEnabled(tab))
        mCentralTabs->setCurrentIndex(tab);
    if (cgnOpen())
        mCgnMixer->restoreSessionJson(view.value(QStringLiteral("cgn")).toObject());
    if (vqOpen())
        mVqView->restoreSessionJson(view.value(QStringLiteral("vq")).toObject());
    if (mResponsesView->isAvailable())
        mResponsesView->restoreSessionJson(view.value(QStringLiteral("responses")).toObject());
    mInterventionPanel->setCurrentIndex(view.value(QStringLiteral("intervention")).toInt(-1));
    if (mInterventionPanel->currentIndex() < 0 && view.contains(QStringLiteral("intervention_op"))) {
        try {
            mInterventionPanel->setOp(
                lx::LayerEdit::opFromName(view.value(QStringLiteral("intervention_op")).toString().toStdString()));
        } catch (const lx::Error&) {
            // an unknown operation name in the view settings: keep the panel's
        }
    }
    if (interventions) {
        mInterventionDock->show();
        mInterventionDock->raise();
    }
}

} // namespace lx::ui
