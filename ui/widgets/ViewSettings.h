#pragma once
// A panel's settings in a session's view object, declared once: each key names one value widget, and
// the same list writes the JSON and reads it back, so no key is saved but forgotten on restore.
// Restoring keeps a widget's value when its key is absent (older sessions) or of another type.
#include <QJsonObject>
#include <QVector>

#include <variant>

class QAbstractSlider;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace lx::ui {

class ViewSettings {
public:
    // Combo boxes and tab widgets are kept by index (for lists fixed by the program or the model, such as
    // classes); an index past the list, or of a disabled tab, is not restored.
    using Widget =
        std::variant<QSpinBox*, QDoubleSpinBox*, QAbstractSlider*, QCheckBox*, QLineEdit*, QComboBox*, QTabWidget*>;

    ViewSettings& add(const QString& key, Widget widget);

    // The widgets' values under their keys, added to `into`.
    QJsonObject toJson(QJsonObject into = {}) const;
    void restore(const QJsonObject& json) const;

private:
    QVector<QPair<QString, Widget>> mFields;
};

} // namespace lx::ui
