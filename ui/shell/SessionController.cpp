#include "ui/shell/SessionController.h"

#include "lx/Error.h"
#include "lx/Sha256.h"
#include "ui/compute/ErrorText.h"
#include "ui/hybrids/WorkbenchState.h"
#include "ui/shell/SessionHost.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUndoStack>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lx::ui {
namespace {

const char* const kAutosaveName = "autosave.lxsession";

QString sessionFilter() { return QObject::tr("Latent Explorer sessions (*.lxsession);;All files (*)"); }

QString canonical(const QString& path)
{
    const QString c = QFileInfo(path).canonicalFilePath();
    return c.isEmpty() ? QFileInfo(path).absoluteFilePath() : c;
}

} // namespace

SessionController::SessionController(SessionHost& host, QWidget* window)
    : QObject(window)
    , mHost(host)
    , mWindow(window)
    , mRecent(QStringLiteral("recentSessions"))
{
    mOpenAction = new QAction(tr("Open &Session…"), this);
    mOpenAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    mOpenAction->setStatusTip(tr("Open a session: its model, layer, seeds, channels and interventions"));
    connect(mOpenAction, &QAction::triggered, this, &SessionController::openDialog);
    mSaveAction = new QAction(tr("&Save Session"), this);
    mSaveAction->setShortcut(QKeySequence::Save);
    mSaveAction->setStatusTip(tr("Save the model, layer, seeds, channels and interventions as a session file"));
    connect(mSaveAction, &QAction::triggered, this, &SessionController::save);
    mSaveAsAction = new QAction(tr("Save Session &As…"), this);
    mSaveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(mSaveAsAction, &QAction::triggered, this, &SessionController::saveAs);
    mRecentMenu = new QMenu(tr("Recent S&essions"), window);
    updateRecentMenu();
    for (QAction* action : {mSaveAction, mSaveAsAction})
        action->setEnabled(false);
    connect(host.undoStack(), &QUndoStack::cleanChanged, this, &SessionController::updateTitle);

    mAutosaveDelay.setSingleShot(true);
    mAutosaveDelay.setInterval(kAutosaveDelayMs);
    connect(&mAutosaveDelay, &QTimer::timeout, this, &SessionController::writeAutosave);
    mAutosaveInterval.setInterval(kAutosaveIntervalMs);
    connect(&mAutosaveInterval, &QTimer::timeout, this, [this] {
        if (mChangedSinceAutosave)
            writeAutosave();
    });
    mAutosaveInterval.start();
}

SessionController::~SessionController()
{
    // A clean exit. An autosave this window did not write (another run's crash, not restored) stays.
    if (mOwnsAutosave)
        removeAutosave();
}

QString SessionController::autosavePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QLatin1String(kAutosaveName));
}

bool SessionController::hasAutosave() { return QFileInfo::exists(autosavePath()); }

QString SessionController::modelHash(const QString& path) const
{
    const QFileInfo info(path);
    const QString stamp = QStringLiteral("%1/%2").arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch());
    const auto it = mHashes.constFind(path);
    if (it != mHashes.constEnd() && it->first == stamp)
        return it->second;
    try {
        const QString hash = QString::fromStdString(lx::Sha256::fileHex(path.toStdString()));
        mHashes.insert(path, {stamp, hash});
        return hash;
    } catch (const std::exception& e) {
        spdlog::warn("cannot hash the model: {}", e.what());
        return {};
    }
}

std::string SessionController::viewJson(bool autosave) const
{
    QJsonObject view = mHost.viewState();
    if (autosave && !mCurrentPath.isEmpty())
        view.insert(QStringLiteral("session_file"), mCurrentPath);
    return QJsonDocument(view).toJson(QJsonDocument::Compact).toStdString();
}

lx::Session SessionController::capture() const
{
    if (!mHost.hasModel())
        throw lx::Error("no model loaded: nothing to save");
    const ModelSummary& summary = mHost.summary();
    const WorkbenchState state = mHost.workbenchState();
    lx::Session s;
    s.modelPath = QFileInfo(summary.path).absoluteFilePath().toStdString();
    s.modelSha256 = modelHash(summary.path).toStdString();
    s.device = mHost.device().toStdString();
    s.layer = summary.layerNames.value(state.layer).toStdString();
    s.seed1 = state.seed1;
    s.seed2 = state.seed2;
    s.class1 = state.class1;
    s.class2 = state.class2;
    s.classFromDonor = state.classFromDonor;
    s.channels.assign(state.channels.begin(), state.channels.end());
    s.edit = state.edit;
    s.groups = mGroups;
    s.figures = mFigures;
    // The modules found for this layer, as named groups (they replace groups of the same name).
    const QVector<QVector<int>> modules = mHost.modulesOf(state.layer);
    for (int k = 0; k < modules.size(); ++k) {
        const QVector<int>& members = modules[k];
        lx::ChannelGroup group{"module " + std::to_string(k + 1), {members.begin(), members.end()}};
        const auto same = std::find_if(s.groups.begin(), s.groups.end(),
                                       [&](const lx::ChannelGroup& g) { return g.name == group.name; });
        if (same != s.groups.end())
            *same = group;
        else
            s.groups.push_back(group);
    }
    s.modules = mHost.moduleSettings();
    s.viewJson = viewJson(false);
    return s;
}

bool SessionController::saveTo(const QString& path)
{
    try {
        const lx::Session session = capture();
        session.save(path.toStdString());
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot save the session"), errorText(e));
        return false;
    }
    mCurrentPath = QFileInfo(path).absoluteFilePath();
    mRecent.add(mCurrentPath);
    updateRecentMenu();
    QSettings().setValue(QStringLiteral("lastSessionDir"), QFileInfo(path).absolutePath());
    mHost.undoStack()->setClean();
    updateTitle();
    spdlog::info("session saved to {}", mCurrentPath.toStdString());
    Q_EMIT message(tr("Session saved to %1").arg(QDir::toNativeSeparators(mCurrentPath)));
    Q_EMIT sessionSaved(mCurrentPath);
    return true;
}

bool SessionController::save() { return mCurrentPath.isEmpty() ? saveAs() : saveTo(mCurrentPath); }

bool SessionController::saveAs()
{
    if (!mHost.hasModel())
        return false;
    QString start = mCurrentPath;
    if (start.isEmpty()) {
        const QString dir = QSettings().value(QStringLiteral("lastSessionDir"), QDir::homePath()).toString();
        start = QDir(dir).filePath(QFileInfo(mHost.summary().path).completeBaseName() + QStringLiteral(".lxsession"));
    }
    QString path = QFileDialog::getSaveFileName(mWindow, tr("Save Session"), start, sessionFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".lxsession");
    return saveTo(path);
}

void SessionController::openDialog()
{
    const QString dir = QSettings().value(QStringLiteral("lastSessionDir"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(mWindow, tr("Open Session"), dir, sessionFilter());
    if (path.isEmpty())
        return;
    QSettings().setValue(QStringLiteral("lastSessionDir"), QFileInfo(path).absolutePath());
    open(path);
}

bool SessionController::open(const QString& path) { return openFile(path, QFileInfo(path).absoluteFilePath()); }

bool SessionController::restoreAutosave()
{
    const bool ok = openFile(autosavePath(), QString());
    mOwnsAutosave = mOwnsAutosave || ok;
    return ok;
}

bool SessionController::openFile(const QString& file, const QString& rememberAs)
{
    Pending pending;
    QString modelPath;
    try {
        pending.session = lx::Session::load(file.toStdString());
        const lx::SessionModel model = [&] {
            try {
                return pending.session.locateModel();
            } catch (const lx::Error& e) {
                throw lx::Error("cannot open session " + file.toStdString() + ": " + e.what());
            }
        }();
        modelPath = QString::fromStdString(model.path);
        pending.warning = QString::fromStdString(model.warning);
        mHashes.insert(modelPath,
                       {QStringLiteral("%1/%2")
                            .arg(QFileInfo(modelPath).size())
                            .arg(QFileInfo(modelPath).lastModified().toMSecsSinceEpoch()),
                        QString::fromStdString(model.sha256)});
    } catch (const std::exception& e) {
        if (!QFileInfo::exists(file) && !rememberAs.isEmpty()) {
            mRecent.remove(file);
            updateRecentMenu();
        }
        const QString error = errorText(e);
        spdlog::warn("{}", error.toStdString());
        Q_EMIT errorOccurred(tr("Cannot open the session"),
                             mHost.hasModel() ? error + tr("\n\nNothing was changed.") : error);
        Q_EMIT sessionFailed(error);
        return false;
    }
    pending.path = rememberAs;
    pending.modelPath = modelPath;
    applyView(pending.session.viewJson, pending.path);
    if (mHost.hasModel() && canonical(mHost.summary().path) == canonical(modelPath)) {
        apply(pending); // the model is already loaded
        return true;
    }
    mPending = pending;
    Q_EMIT message(
        tr("Opening session %1: loading %2…").arg(QFileInfo(file).fileName(), QFileInfo(modelPath).fileName()));
    mHost.openModel(modelPath);
    return true;
}

void SessionController::onModelReady(const ModelSummary& summary)
{
    if (!mPending) {
        mCurrentPath.clear(); // a model opened by itself: a new session, saved under a new name
        mGroups.clear();
        mFigures.clear();
        return;
    }
    const Pending pending = *mPending;
    mPending.reset();
    if (canonical(summary.path) != canonical(pending.modelPath))
        return; // another model was opened meanwhile
    apply(pending);
}

void SessionController::onModelFailed(const QString& error)
{
    if (!mPending)
        return;
    mPending.reset();
    const QString text = tr("The session's model did not load: %1").arg(error);
    Q_EMIT errorOccurred(tr("Cannot open the session"),
                         mHost.hasModel() ? text + tr("\n\nNothing was changed.") : text);
    Q_EMIT sessionFailed(text);
}

void SessionController::applyView(const std::string& json, QString& rememberAs)
{
    // Only the file an autosave stands for is needed before the state is applied.
    const QJsonObject view = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    if (rememberAs.isEmpty())
        rememberAs = view.value(QStringLiteral("session_file")).toString();
}

void SessionController::apply(const Pending& pending)
{
    const lx::Session& s = pending.session;
    const ModelSummary& summary = mHost.summary();
    QStringList notes;
    WorkbenchState state;
    state.layer = summary.layerNames.indexOf(QString::fromStdString(s.layer));
    if (state.layer < 0) {
        if (!s.layer.empty())
            notes << tr("layer %1 is not in the model").arg(QString::fromStdString(s.layer));
        state.layer = summary.defaultLayer();
    }
    const qint64 channels = state.layer >= 0 && !summary.layerShapes.value(state.layer).isEmpty()
        ? summary.layerShapes[state.layer].first()
        : 0;
    for (int c : s.channels) {
        if (c < channels)
            state.channels << c;
    }
    if (state.channels.size() != qsizetype(s.channels.size()))
        notes << tr("%1 selected channels are beyond the layer's %2")
                     .arg(s.channels.size() - state.channels.size())
                     .arg(channels);
    state.seed1 = s.seed1;
    state.seed2 = s.seed2;
    state.class1 = s.class1;
    state.class2 = s.class2;
    state.classFromDonor = s.classFromDonor;
    bool editFits = true;
    for (const lx::Intervention& i : s.edit.interventions) {
        for (int c : i.channels)
            editFits = editFits && c < channels;
    }
    if (editFits)
        state.edit = s.edit;
    else
        notes << tr("the interventions name channels beyond the layer's %1 and were left out").arg(channels);
    mHost.restoreWorkbenchState(state);

    mHost.setModuleSettings(s.modules);
    mGroups = s.groups;
    mFigures = s.figures;

    mHost.restoreViewState(QJsonDocument::fromJson(QByteArray::fromStdString(s.viewJson)).object(),
                           !state.edit.interventions.empty());

    mCurrentPath = pending.path;
    if (!mCurrentPath.isEmpty()) {
        mRecent.add(mCurrentPath);
        updateRecentMenu();
    }
    updateTitle();
    const QString name = mCurrentPath.isEmpty() ? tr("the autosaved session") : QFileInfo(mCurrentPath).fileName();
    if (!pending.warning.isEmpty())
        notes.prepend(pending.warning);
    if (notes.isEmpty()) {
        Q_EMIT message(tr("Opened %1").arg(name));
    } else {
        Q_EMIT errorOccurred(tr("Session opened with warnings"), notes.join(QStringLiteral("\n")));
    }
    spdlog::info("session {} opened{}", mCurrentPath.toStdString(), notes.isEmpty() ? "" : " with warnings");
    Q_EMIT sessionOpened(mCurrentPath);
}

bool SessionController::writeAutosave()
{
    mAutosaveDelay.stop();
    if (!mAutosaveEnabled || !mHost.hasModel() || mPending)
        return false;
    const QString path = autosavePath();
    try {
        lx::Session session = capture();
        session.viewJson = viewJson(true);
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            throw lx::Error("cannot create " + QFileInfo(path).absolutePath().toStdString());
        QSaveFile file(path);
        const QByteArray bytes = QByteArray::fromStdString(session.toJson(path.toStdString()));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            throw lx::Error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    } catch (const std::exception& e) {
        spdlog::warn("autosave failed: {}", e.what());
        return false;
    }
    mChangedSinceAutosave = false;
    mOwnsAutosave = true;
    Q_EMIT autosaved(path);
    return true;
}

void SessionController::removeAutosave()
{
    mAutosaveDelay.stop();
    if (QFile::exists(autosavePath()) && !QFile::remove(autosavePath()))
        spdlog::warn("cannot remove the autosave {}", autosavePath().toStdString());
}

void SessionController::setAutosaveEnabled(bool enabled)
{
    mAutosaveEnabled = enabled;
    if (!enabled)
        mAutosaveDelay.stop();
}

void SessionController::addFigure(const lx::FigureSpec& spec)
{
    lx::Session s;
    s.figures = mFigures;
    s.putFigure(spec);
    mFigures = s.figures;
    noteChange();
}

void SessionController::noteChange()
{
    mChangedSinceAutosave = true;
    if (mAutosaveEnabled && !mPending)
        mAutosaveDelay.start(); // restarts: written once the edits pause
    const bool hasModel = mHost.hasModel();
    mSaveAction->setEnabled(hasModel);
    mSaveAsAction->setEnabled(hasModel);
}

void SessionController::updateRecentMenu()
{
    mRecent.fillMenu(mRecentMenu, [this](const QString& path) { open(path); });
}

void SessionController::updateTitle()
{
    if (mCurrentPath.isEmpty() || !mHost.hasModel())
        return;
    const ModelSummary& summary = mHost.summary();
    const QString model = summary.name.isEmpty() ? QFileInfo(summary.path).fileName() : summary.name;
    mWindow->setWindowTitle(tr("%1[*] — %2 — Latent Explorer").arg(QFileInfo(mCurrentPath).fileName(), model));
    mWindow->setWindowModified(!mHost.undoStack()->isClean());
}

} // namespace lx::ui
