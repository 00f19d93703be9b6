#pragma once
// What SessionController needs from the window, and nothing else: the loaded model, the workbench state,
// the module settings and the views' part of a session as JSON. MainWindow implements it, so session
// documents never reach into widgets.
#include "lx/Session.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/hybrids/WorkbenchState.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

class QUndoStack;

namespace lx::ui {

class SessionHost {
public:
    virtual ~SessionHost() = default;

    virtual bool hasModel() const = 0;
    virtual const ModelSummary& summary() const = 0;
    virtual const QString& device() const = 0;
    // Loads a model on the worker; the host then calls SessionController::onModelReady or onModelFailed.
    virtual void openModel(const QString& path) = 0;
    virtual QUndoStack* undoStack() const = 0;

    virtual const WorkbenchState& workbenchState() const = 0;
    // Applies `state` as a fresh, clean undo history.
    virtual void restoreWorkbenchState(const WorkbenchState& state) = 0;

    virtual lx::ModuleSettings moduleSettings() const = 0;
    virtual void setModuleSettings(const lx::ModuleSettings& settings) = 0;
    // The modules found for `layer` (channels of each), or none.
    virtual QVector<QVector<int>> modulesOf(int layer) const = 0;

    // The views' settings: the central tab, the Explore, CGN or Codes tab's own settings, the influence
    // maps' and module assays' settings, an autoencoder's Latent responses tab and the intervention
    // panel's selection. restoreViewState takes what viewState wrote (older sessions may
    // lack any part); `interventions` shows the intervention dock.
    virtual QJsonObject viewState() const = 0;
    virtual void restoreViewState(const QJsonObject& view, bool interventions) = 0;
};

} // namespace lx::ui
