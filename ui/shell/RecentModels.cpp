#include "ui/shell/RecentModels.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
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

void RecentModels::fillMenu(QMenu* menu, const std::function<void(const QString& path)>& open)
{
    menu->clear();
    for (int i = 0; i < mPaths.size(); ++i) {
        const QString path = mPaths[i];
        QAction* action = menu->addAction(QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(path).fileName()), menu,
                                          [open, path] { open(path); });
        action->setStatusTip(path);
        action->setToolTip(path);
    }
    if (!mPaths.isEmpty())
        menu->addSeparator();
    QAction* clearAll = menu->addAction(QObject::tr("Clear List"), menu, [this, menu, open] {
        clear();
        fillMenu(menu, open);
    });
    clearAll->setEnabled(!mPaths.isEmpty());
}

} // namespace lx::ui
