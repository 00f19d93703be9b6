#pragma once
// Exact conversions of JSON values to C++ values for the document readers (sessions, figure specs, layer
// edits). nlohmann's get<T>() converts a number of the wrong kind with a plain cast: 1e155 into an
// unsigned seed or 1e300 into a float is undefined behaviour (found by tests/fuzz/fuzz_session under
// UBSan), and 2.7 silently becomes 2. These check first and throw lx::Error naming the key instead.
#include "lx/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace lx::jsonvalue {

template <typename T> struct IsVector : std::false_type {
};
template <typename T> struct IsVector<std::vector<T>> : std::true_type {
};

// Whether get<T>() would give exactly the value `j` holds: a bool for bool, an integer in T's range for
// an integral T, a finite number in range for a floating T, a string for std::string, and an array of
// such for std::vector<T>. Other T: whatever nlohmann accepts.
template <typename T> bool fits(const nlohmann::json& j)
{
    if constexpr (std::is_same_v<T, bool>) {
        return j.is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
        if (j.is_number_unsigned())
            return j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
        if (j.is_number_integer()) {
            const int64_t v = j.get<int64_t>();
            if constexpr (std::is_unsigned_v<T>)
                return v >= 0 && static_cast<uint64_t>(v) <= static_cast<uint64_t>(std::numeric_limits<T>::max());
            else
                return v >= static_cast<int64_t>(std::numeric_limits<T>::min())
                    && v <= static_cast<int64_t>(std::numeric_limits<T>::max());
        }
        return false;
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!j.is_number())
            return false;
        const double v = j.get<double>();
        return std::isfinite(v) && std::fabs(v) <= static_cast<double>(std::numeric_limits<T>::max());
    } else if constexpr (std::is_same_v<T, std::string>) {
        return j.is_string();
    } else if constexpr (IsVector<T>::value) {
        if (!j.is_array())
            return false;
        for (const nlohmann::json& item : j)
            if (!fits<typename T::value_type>(item))
                return false;
        return true;
    } else {
        return true;
    }
}

// j[key] as T, `fallback` when it is absent or null. Throws lx::Error("<where>: bad value for 'key': ...").
template <typename T> T get(const nlohmann::json& j, const char* key, const T& fallback, const std::string& where)
{
    if (!j.contains(key) || j[key].is_null())
        return fallback;
    const nlohmann::json& v = j[key];
    if (!fits<T>(v))
        throw Error(where + ": bad value for '" + key + "': " + v.dump().substr(0, 40));
    try {
        return v.get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(where + ": bad value for '" + key + "': " + v.dump().substr(0, 40));
    }
}

// j.at(key) as T, required. Throws lx::Error("<where>: missing 'key'" or "bad value for 'key'").
template <typename T> T require(const nlohmann::json& j, const char* key, const std::string& where)
{
    if (!j.is_object() || !j.contains(key))
        throw Error(where + ": missing '" + key + "'");
    return get<T>(j, key, T{}, where);
}

} // namespace lx::jsonvalue
