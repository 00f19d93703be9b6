#include "lx/Npy.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"

#include <cstring>
#include <regex>

namespace lx {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

std::string headerValue(const std::string& header, const std::string& key, const std::string& name)
{
    const auto at = header.find("'" + key + "'");
    if (at == std::string::npos)
        throw Error(name + ": .npy header has no '" + key + "'");
    const auto colon = header.find(':', at);
    if (colon == std::string::npos)
        throw Error(name + ": malformed .npy header");
    return header.substr(colon + 1);
}

} // namespace

std::string Npy::encode(const Array& array)
{
    std::string shape = "(";
    for (size_t i = 0; i < array.shape().size(); ++i)
        shape += std::to_string(array.shape()[i])
            + (array.shape().size() == 1 ? "," : (i + 1 < array.shape().size() ? ", " : ""));
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad so that the data starts on a 64-byte boundary; the header ends with '\n'.
    const size_t unpadded = kMagicLen + 2 + 2 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535)
        throw Error("array rank too large for .npy v1 header");

    std::string out(kMagic, kMagicLen);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>((header.size() >> 8) & 0xff);
    out += header;
    const size_t bytes = array.data().size() * sizeof(float);
    const size_t start = out.size();
    out.resize(start + bytes);
    if (bytes)
        std::memcpy(&out[start], array.ptr(), bytes); // x86-64 and arm64 are little-endian
    return out;
}

Array Npy::decode(const std::string& bytes, const std::string& name)
{
    if (bytes.size() < kMagicLen + 4 || bytes.compare(0, kMagicLen, kMagic, kMagicLen) != 0)
        throw Error(name + ": not a .npy file (bad magic)");
    const unsigned major = static_cast<unsigned char>(bytes[6]);
    size_t headerLen = 0;
    size_t offset = 0;
    if (major == 1) {
        headerLen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw Error(name + ": truncated .npy header");
        for (int i = 0; i < 4; ++i)
            headerLen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
        offset = 12;
    } else {
        throw Error(name + ": unsupported .npy version " + std::to_string(major));
    }
    if (bytes.size() < offset + headerLen)
        throw Error(name + ": truncated .npy header");
    const std::string header = bytes.substr(offset, headerLen);
    offset += headerLen;

    const std::string descrText = headerValue(header, "descr", name);
    std::smatch m;
    if (!std::regex_search(descrText, m, std::regex("^\\s*'([^']*)'")))
        throw Error(name + ": malformed .npy 'descr'");
    const std::string descr = m[1];
    size_t itemSize = 0;
    const bool int64 = descr == "<i8"; // e.g. class indices; read into float32 when exact
    if (descr == "<f4" || descr == "|f4")
        itemSize = 4;
    else if (descr == "<f8" || int64)
        itemSize = 8;
    else
        throw Error(name + ": dtype '" + printable(descr)
                    + "' not supported (expected float32 '<f4', float64 '<f8' or int64 '<i8')");

    const std::string fortran = headerValue(header, "fortran_order", name);
    if (fortran.find("True") != std::string::npos && fortran.find("True") < fortran.find(','))
        throw Error(name + ": Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)");

    const std::string shapeText = headerValue(header, "shape", name);
    if (!std::regex_search(shapeText, m, std::regex("^\\s*\\(([^)]*)\\)")))
        throw Error(name + ": malformed .npy 'shape'");
    std::vector<int64_t> shape;
    const std::string dims = m[1];
    std::regex number("\\d+");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
        const std::string digits = it->str();
        if (digits.size() > 12)
            throw Error(name + ": .npy shape too large");
        shape.push_back(std::stoll(digits));
    }
    // At most 2^34 values; checked before each product so that it cannot overflow (dims < 10^12).
    const int64_t maxCount = int64_t(1) << 34;
    int64_t count = 1;
    for (int64_t s : shape) {
        if (s != 0 && count > maxCount / s)
            throw Error(name + ": .npy array too large");
        count *= s;
    }
    const size_t need = static_cast<size_t>(count) * itemSize;
    if (bytes.size() - offset < need)
        throw Error(name + ": truncated .npy data (" + std::to_string(bytes.size() - offset) + " of "
                    + std::to_string(need) + " bytes)");

    std::vector<float> data(static_cast<size_t>(count));
    if (itemSize == 4) {
        if (need)
            std::memcpy(data.data(), bytes.data() + offset, need);
    } else if (int64) {
        for (int64_t i = 0; i < count; ++i) {
            int64_t v;
            std::memcpy(&v, bytes.data() + offset + static_cast<size_t>(i) * 8, 8);
            if (v > (int64_t(1) << 24) || v < -(int64_t(1) << 24))
                throw Error(name + ": int64 value " + std::to_string(v) + " (at flat index " + std::to_string(i)
                            + ") is too large to hold exactly");
            data[static_cast<size_t>(i)] = static_cast<float>(v);
        }
    } else {
        for (int64_t i = 0; i < count; ++i) {
            double v;
            std::memcpy(&v, bytes.data() + offset + static_cast<size_t>(i) * 8, 8);
            data[static_cast<size_t>(i)] = static_cast<float>(v);
        }
    }
    return Array(shape, std::move(data));
}

Array Npy::read(const std::string& path) { return decode(AtomicFile::read(path), path); }

void Npy::write(const std::string& path, const Array& array) { AtomicFile::write(path, encode(array)); }

} // namespace lx
