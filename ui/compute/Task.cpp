#include "ui/compute/Task.h"

#include <utility>

namespace lx::ui {

Task Task::onModel(const QString& what, TaskBody body, quint64 modelGeneration)
{
    Task task;
    task.what = what;
    task.body = std::move(body);
    task.modelGeneration = modelGeneration;
    return task;
}

Task Task::modelFree(const QString& what, FreeTaskBody body)
{
    Task task;
    task.what = what;
    task.freeBody = std::move(body);
    return task;
}

Task Task::latest(const QString& key) &&
{
    latestKey = key;
    return std::move(*this);
}

} // namespace lx::ui
