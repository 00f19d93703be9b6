#pragma once
// One task on the compute worker, as ComputeController::run returns it: connect to its signals, call
// cancel() to stop it. Every task ends with exactly one of finished, failed or cancelled (cancelled also
// when a latest task is replaced by a newer one of its key before it ran, or when it was made for a
// model that is no longer loaded); progress comes before that, from the worker's reports. The controller
// owns the handle and deletes it (deleteLater) once it has ended: keep it in a QPointer, or drop it in
// the slot of its last signal.
#include "lx/Progress.h"

#include <QObject>
#include <QString>
#include <QVariant>

#include <memory>

namespace lx::ui {

class TaskHandle : public QObject {
    Q_OBJECT
public:
    quint64 id() const { return mId; } // increases with every task of a controller
    const QString& what() const { return mWhat; }
    const QString& latestKey() const { return mKey; } // empty for batch tasks
    bool isActive() const { return mActive; } // not ended yet

    // Asks the task to stop: a waiting task never starts, a running one stops at its next check of
    // the cancel token. It then ends in cancelled() (or in finished/failed if it ended first). A no-op
    // once the task has ended.
    void cancel();

    // Calls (receiver->*onResult)(key, id, result) when the task finishes and (receiver->*onError)(key,
    // id, error) when it fails, for views that handle all their latest tasks in one place; returns id().
    template <typename Receiver>
    quint64 deliverTo(Receiver* receiver, void (Receiver::*onResult)(const QString&, quint64, const QVariant&),
                      void (Receiver::*onError)(const QString&, quint64, const QString&))
    {
        connect(this, &TaskHandle::finished, receiver,
                [receiver, onResult, key = mKey, id = mId](const QVariant& r) { (receiver->*onResult)(key, id, r); });
        connect(this, &TaskHandle::failed, receiver,
                [receiver, onError, key = mKey, id = mId](const QString& e) { (receiver->*onError)(key, id, e); });
        return mId;
    }

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished(const QVariant& result);
    void failed(const QString& error);
    void cancelled();

private:
    friend class ComputeController;
    TaskHandle(quint64 id, QString what, QString key, std::shared_ptr<lx::CancelToken> cancel, QObject* parent);

    quint64 mId;
    QString mWhat;
    QString mKey;
    std::shared_ptr<lx::CancelToken> mCancel;
    bool mActive = true;
};

} // namespace lx::ui
