#pragma once
// Helpers shared by the core test suites: where fixtures live, and catching lx::Error messages.
#include <QtTest/QtTest>

#include "lx/Array.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

namespace lxtest {

// A fixture model or array made by tests/fixtures/make_fixtures.py (CTest fixture "models").
inline std::string fixture(const std::string& name)
{
    const QByteArray dir = qgetenv("LX_FIXTURES");
    return (dir.isEmpty() ? std::string("fixtures") : dir.toStdString()) + "/" + name;
}

inline std::string sourceDir()
{
    const QByteArray dir = qgetenv("LX_SOURCE_DIR");
    return dir.isEmpty() ? std::string(".") : dir.toStdString();
}

inline std::string sharedDir()
{
    const QByteArray dir = qgetenv("LX_SHARED");
    return dir.isEmpty() ? std::string("../shared") : dir.toStdString();
}

// The message of the exception `f` throws, or "" when it throws nothing.
template <typename F> std::string errorOf(F&& f)
{
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Largest elementwise |a - b|; infinity when the element counts differ.
inline float maxAbsDiff(const lx::Array& a, const lx::Array& b)
{
    if (a.numel() != b.numel())
        return std::numeric_limits<float>::infinity();
    float m = 0.0f;
    for (int64_t i = 0; i < a.numel(); ++i)
        m = std::max(m, std::fabs(a.data()[size_t(i)] - b.data()[size_t(i)]));
    return m;
}

} // namespace lxtest

// Verifies that `expr` throws and that the one-line message contains `part`.
#define LX_VERIFY_ERROR(expr, part)                                                                                    \
    do {                                                                                                               \
        const std::string lxMsg = lxtest::errorOf([&] { expr; });                                                      \
        QVERIFY2(!lxMsg.empty(), "expected an error, got none");                                                       \
        QVERIFY2(lxtest::contains(lxMsg, part), ("message '" + lxMsg + "' lacks '" + part + "'").c_str());             \
        QVERIFY2(lxMsg.find('\n') == std::string::npos, ("message is not one line: " + lxMsg).c_str());                \
    } while (false)
