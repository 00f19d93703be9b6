#include "ui/shell/RecentModels.h"

#include <QFileInfo>
#include <QSettings>

namespace lx::ui {
namespace {
const char* const kKey = "recentModels";
} // namespace

RecentModels::RecentModels()
    : RecentModels(QLatin1String(kKey))
{
}

RecentModels::RecentModels(const QString& key)
    : mKey(key)
{
    const QSettings settings;
    mPaths = settings.value(mKey).toStringList();
    mPaths.removeAll(QString());
    while (mPaths.size() > kMaxEntries)
        mPaths.removeLast();
}

void RecentModels::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    mPaths.removeAll(absolute);
    mPaths.prepend(absolute);
    while (mPaths.size() > kMaxEntries)
        mPaths.removeLast();
    save();
}

void RecentModels::remove(const QString& path)
{
    mPaths.removeAll(QFileInfo(path).absoluteFilePath());
    save();
}

void RecentModels::clear()
{
    mPaths.clear();
    save();
}

void RecentModels::save() const
{
    QSettings settings;
    settings.setValue(mKey, mPaths);
}

} // namespace lx::ui
