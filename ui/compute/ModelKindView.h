#pragma once
// A tab of its own for a model kind that lx::Model::load refuses and names (a CGN, a VQ-VAE): the part the
// CGN mixer and the Codes tab share. open() loads the file on the compute worker and ends in opened() or
// openFailed() (the model shown stays until the new one has loaded); releaseOnWorker() lets a model go on
// the worker thread, after any task still queued there. Subclasses say how to load (loadTask) and what to
// do with the loaded model (takeLoaded).
// The frame is shared too: a header row (a selectable label, then what the subclass adds), and below it
// either the placeholder (no model open) or the body the subclass fills; frameLayout() takes a footer.
#include "ui/compute/Task.h"
#include "ui/compute/WorkerTypes.h"

#include <QString>
#include <QVariant>
#include <QWidget>

#include <memory>

class QHBoxLayout;
class QLabel;
class QStackedWidget;
class QVBoxLayout;

namespace lx {
struct LoadOptions;
}

namespace lx::ui {

class ComputeController;

class ModelKindView : public QWidget {
    Q_OBJECT
public:
    // `kind` is the card's kind ("cgn", "vqvae"); `noun` names such a model in task titles ("CGN").
    // `placeholder` is shown while no model is open.
    ModelKindView(ComputeController* controller, QString kind, QString noun, const QString& placeholder,
                  QWidget* parent);
    ~ModelKindView() override;

    // The card kind this view opens ("cgn", "vqvae").
    const QString& kind() const { return mKind; }

    // Loads `path` ("auto", "cpu" or "cuda") on the worker; ends in opened() or openFailed().
    void open(const QString& path, const QString& device);
    virtual bool isOpen() const = 0;
    // Lets go of the model (released on the worker), e.g. when another kind of model is opened instead.
    virtual void close() = 0;

Q_SIGNALS:
    void opened(const lx::ui::ModelSummary& summary);
    void openFailed(const QString& error);
    void stateChanged(); // every change of the view's state (for the session's autosave)
    void message(const QString& text);
    void errorOccurred(const QString& title, const QString& text);

protected:
    ComputeController* controller() const { return mController; }
    QVBoxLayout* frameLayout() const { return mFrame; }
    QHBoxLayout* headerRow() const { return mHeaderRow; }
    QLabel* header() const { return mHeader; }
    QWidget* body() const { return mBody; }
    // The body (a model is open) or the placeholder.
    void showBody(bool on);
    virtual FreeTaskBody loadTask(const QString& path, const lx::LoadOptions& options) const = 0;
    // The load task's result: take the model (release the one it replaces) and emit opened().
    virtual void takeLoaded(const QVariant& loaded) = 0;
    // Drops this reference on the worker thread (the model's last one goes there, never on the UI thread).
    void releaseOnWorker(std::shared_ptr<void> model);

private:
    ComputeController* mController;
    QString mKind;
    QString mNoun;
    QVBoxLayout* mFrame = nullptr;
    QHBoxLayout* mHeaderRow = nullptr;
    QLabel* mHeader = nullptr;
    QStackedWidget* mStack = nullptr;
    QLabel* mPlaceholder = nullptr;
    QWidget* mBody = nullptr;
};

} // namespace lx::ui
