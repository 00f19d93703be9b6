#pragma once
// The "Recent models" list, most recent first, kept in QSettings (key "recentModels").
#include <QStringList>

#include <functional>

class QMenu;

namespace lx::ui {

class RecentModels {
public:
    static constexpr int kMaxEntries = 8;

    RecentModels(); // reads the list from QSettings
    // A list kept under another QSettings key (e.g. "recentSessions").
    explicit RecentModels(const QString& key);

    const QStringList& paths() const { return mPaths; }
    // Moves `path` (made absolute) to the front and saves.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();
    // Fills `menu` with the list ("&1  name", each calling open(path)) and a Clear List entry.
    void fillMenu(QMenu* menu, const std::function<void(const QString& path)>& open);

private:
    void save() const;

    QString mKey;
    QStringList mPaths;
};

} // namespace lx::ui
