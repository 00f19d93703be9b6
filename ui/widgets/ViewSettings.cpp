#include "ui/widgets/ViewSettings.h"

#include <QAbstractSlider>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>

namespace lx::ui {

namespace {

template <class... Ts> struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace

ViewSettings& ViewSettings::add(const QString& key, Widget widget)
{
    mFields.append({key, widget});
    return *this;
}

QJsonObject ViewSettings::toJson(QJsonObject into) const
{
    for (const auto& [key, widget] : mFields) {
        into.insert(key,
                    std::visit(Overloaded{[](QSpinBox* w) { return QJsonValue(w->value()); },
                                          [](QDoubleSpinBox* w) { return QJsonValue(w->value()); },
                                          [](QAbstractSlider* w) { return QJsonValue(w->value()); },
                                          [](QCheckBox* w) { return QJsonValue(w->isChecked()); },
                                          [](QLineEdit* w) { return QJsonValue(w->text()); },
                                          [](QComboBox* w) { return QJsonValue(w->currentIndex()); },
                                          [](QTabWidget* w) { return QJsonValue(w->currentIndex()); }},
                               widget));
    }
    return into;
}

void ViewSettings::restore(const QJsonObject& json) const
{
    for (const auto& [key, widget] : mFields) {
        const QJsonValue v = json.value(key);
        std::visit(Overloaded{[&](QSpinBox* w) {
                                  if (v.isDouble())
                                      w->setValue(v.toInt(w->value()));
                              },
                              [&](QDoubleSpinBox* w) {
                                  if (v.isDouble())
                                      w->setValue(v.toDouble());
                              },
                              [&](QAbstractSlider* w) {
                                  if (v.isDouble())
                                      w->setValue(v.toInt(w->value()));
                              },
                              [&](QCheckBox* w) {
                                  if (v.isBool())
                                      w->setChecked(v.toBool());
                              },
                              [&](QLineEdit* w) {
                                  if (v.isString())
                                      w->setText(v.toString());
                              },
                              [&](QComboBox* w) {
                                  const int index = v.toInt(-1);
                                  if (v.isDouble() && index >= 0 && index < w->count())
                                      w->setCurrentIndex(index);
                              },
                              [&](QTabWidget* w) {
                                  const int index = v.toInt(-1);
                                  if (v.isDouble() && index >= 0 && index < w->count() && w->isTabEnabled(index))
                                      w->setCurrentIndex(index);
                              }},
                   widget);
    }
}

} // namespace lx::ui
