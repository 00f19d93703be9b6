#include "ui/compute/TaskHandle.h"

#include <utility>

namespace lx::ui {

TaskHandle::TaskHandle(quint64 id, QString what, QString key, std::shared_ptr<lx::CancelToken> cancel, QObject* parent)
    : QObject(parent)
    , mId(id)
    , mWhat(std::move(what))
    , mKey(std::move(key))
    , mCancel(std::move(cancel))
{
}

void TaskHandle::cancel()
{
    if (mActive)
        mCancel->cancel();
}

} // namespace lx::ui
