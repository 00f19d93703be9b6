#pragma once
// The one-line message of an exception, for a dialog or the status bar: lx::errorMessage (which also
// says "out of memory" in words) as a QString.
#include "lx/ErrorMessage.h"

#include <QString>

#include <exception>

namespace lx::ui {

inline QString errorText(const std::exception& e) { return QString::fromStdString(lx::errorMessage(e)); }

} // namespace lx::ui
