#pragma once
// Session documents in the GUI: File > Open Session, Save Session, Save Session As, Recent
// Sessions, and the autosave that survives a crash. A session (lx::Session, JSON) names the model file
// and its SHA-256, the layer, seeds, selected channels, interventions, module settings and a few view
// settings; opening one loads its model (the current model stays when that fails) and then restores the
// rest as one fresh, clean undo history. Opening a model by itself starts a new, unsaved session.
//
// Autosave: after every change (kAutosaveDelayMs after the last one) and every kAutosaveIntervalMs while
// something changed, the session is written with QSaveFile to autosavePath() (AppDataLocation). The file
// is removed when the controller is destroyed (a clean exit), so one left at start means a crash:
// restoreAutosave() brings it back.
#include "lx/Session.h"
#include "ui/shell/RecentModels.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

class QAction;
class QMenu;
class QWidget;

namespace lx::ui {

class SessionHost;
struct ModelSummary;

class SessionController : public QObject {
    Q_OBJECT
public:
    static constexpr int kAutosaveIntervalMs = 30 * 1000;
    static constexpr int kAutosaveDelayMs = 1500;

    // `window` parents the dialogs and carries the session's title.
    SessionController(SessionHost& host, QWidget* window);
    // A clean exit: removes the autosave this window wrote or restored (another run's stays).
    ~SessionController() override;

    QAction* openAction() const { return mOpenAction; }
    QAction* saveAction() const { return mSaveAction; }
    QAction* saveAsAction() const { return mSaveAsAction; }
    QMenu* recentMenu() const { return mRecentMenu; }

    // The file the session was last opened from or saved to (empty: never saved).
    const QString& currentPath() const { return mCurrentPath; }
    // The window's state as a session document. Throws lx::Error when no model is loaded.
    lx::Session capture() const;

    // Writes the session to `path` (errors are shown; false then, and the old file stays).
    bool saveTo(const QString& path);
    bool save(); // to currentPath(), else asks for a file
    bool saveAs(); // asks for a file
    // Reads `path` and finds its model now; on failure shows a one-line error, changes nothing and
    // returns false. Otherwise loads the model when it is another one, then restores the state
    // (sessionOpened), or reports sessionFailed when the model does not load (the current state stays).
    bool open(const QString& path);
    bool isOpening() const { return mPending.has_value(); }

    // The host's model load ended (a session being opened goes on, or reports sessionFailed).
    void onModelReady(const ModelSummary& summary);
    void onModelFailed(const QString& error);

    static QString autosavePath();
    static bool hasAutosave();
    // Writes the autosave now; false when there is no model or the write failed.
    bool writeAutosave();
    void removeAutosave();
    // Opens the autosave (after a crash); the session keeps the file it was saved to, if any.
    bool restoreAutosave();
    void setAutosaveEnabled(bool enabled);
    // Called on every change of the workbench: autosave soon.
    void noteChange();
    // Records an exported figure in the session (replacing one of the same name), for `render`.
    void addFigure(const lx::FigureSpec& spec);
    const std::vector<lx::FigureSpec>& figures() const { return mFigures; }

Q_SIGNALS:
    void sessionOpened(const QString& path);
    void sessionFailed(const QString& error);
    void sessionSaved(const QString& path);
    void autosaved(const QString& path);
    // For the window's error dialog / status bar.
    void errorOccurred(const QString& title, const QString& text);
    void message(const QString& text);

private:
    struct Pending {
        lx::Session session;
        QString path; // the session file to remember (empty for an autosave without one)
        QString modelPath; // the model being loaded for it
        QString warning; // hash mismatch, shown once the session is open
    };
    void openDialog();
    void apply(const Pending& pending);
    bool openFile(const QString& file, const QString& rememberAs);
    void updateRecentMenu();
    void updateTitle();
    QString modelHash(const QString& path) const;
    std::string viewJson(bool autosave) const;
    void applyView(const std::string& json, QString& rememberAs);

    SessionHost& mHost;
    QWidget* mWindow;
    QString mCurrentPath;
    std::optional<Pending> mPending;
    std::vector<lx::ChannelGroup> mGroups; // from the opened session, written back
    std::vector<lx::FigureSpec> mFigures; // exported figures (the opened session's, then new ones)
    RecentModels mRecent;
    QTimer mAutosaveDelay;
    QTimer mAutosaveInterval;
    bool mAutosaveEnabled = true;
    bool mChangedSinceAutosave = false;
    bool mOwnsAutosave = false; // this window wrote (or restored) the autosave: it removes it on exit
    mutable QHash<QString, QPair<QString, QString>> mHashes; // path -> (size/mtime stamp, SHA-256)

    QAction* mOpenAction = nullptr;
    QAction* mSaveAction = nullptr;
    QAction* mSaveAsAction = nullptr;
    QMenu* mRecentMenu = nullptr;
};

} // namespace lx::ui
