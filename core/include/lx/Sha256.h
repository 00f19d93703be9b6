#pragma once
// SHA-256 (FIPS 180-4), self-contained: session documents record the model file's hash so that a session
// reopened against a different file says so. Incremental (update/finish) or one call on bytes or a file.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace lx {

class Sha256 {
public:
    Sha256();

    void update(const void* data, size_t size);
    void update(const std::string& bytes) { update(bytes.data(), bytes.size()); }
    // The digest as 64 lowercase hex digits. The object is spent afterwards (reset() to reuse it).
    std::string finishHex();
    std::array<uint8_t, 32> finish();
    void reset();

    static std::string hex(const std::string& bytes);
    // Streams the file in blocks. Throws lx::Error("cannot read <path>: <reason>").
    static std::string fileHex(const std::string& path);

private:
    void block(const uint8_t* chunk);

    std::array<uint32_t, 8> mState{};
    std::array<uint8_t, 64> mBuffer{};
    size_t mBuffered = 0;
    uint64_t mLength = 0; // bytes hashed so far
};

} // namespace lx
