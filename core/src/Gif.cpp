#include "lx/Gif.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"

#include <array>
#include <cmath>
#include <unordered_map>

namespace lx {

namespace {

constexpr int kMinCodeSize = 8;
constexpr int kClear = 1 << kMinCodeSize;
constexpr int kEnd = kClear + 1;
constexpr int kMaxCode = 4095;

void put16(std::string& out, int v)
{
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
}

// LSB-first bit packing into 255-byte sub-blocks.
class BitWriter {
public:
    explicit BitWriter(std::string& out)
        : mOut(out)
    {
    }
    void code(int value, int bits)
    {
        mBuffer |= uint32_t(value) << mBits;
        mBits += bits;
        while (mBits >= 8) {
            byte(uint8_t(mBuffer & 0xff));
            mBuffer >>= 8;
            mBits -= 8;
        }
    }
    void finish()
    {
        if (mBits > 0)
            byte(uint8_t(mBuffer & 0xff));
        flushBlock();
        mOut.push_back('\0'); // block terminator
    }

private:
    void byte(uint8_t b)
    {
        mBlock.push_back(static_cast<char>(b));
        if (mBlock.size() == 255)
            flushBlock();
    }
    void flushBlock()
    {
        if (mBlock.empty())
            return;
        mOut.push_back(static_cast<char>(mBlock.size()));
        mOut += mBlock;
        mBlock.clear();
    }
    std::string& mOut;
    std::string mBlock;
    uint32_t mBuffer = 0;
    int mBits = 0;
};

// Variable-length LZW as GIF decoders expect it: a clear code first, the code size grows when the
// table reaches the next power of two, and the table restarts (clear code) when it is full.
void lzw(const std::vector<uint8_t>& indices, std::string& out)
{
    out.push_back(static_cast<char>(kMinCodeSize));
    BitWriter bits(out);
    std::unordered_map<uint32_t, int> table;
    int codeSize = kMinCodeSize + 1;
    int lastCode = kEnd; // the highest code in use
    bits.code(kClear, codeSize);
    int current = indices[0];
    for (size_t i = 1; i < indices.size(); ++i) {
        const uint32_t key = (uint32_t(current) << 8) | indices[i];
        const auto found = table.find(key);
        if (found != table.end()) {
            current = found->second;
            continue;
        }
        bits.code(current, codeSize);
        table.emplace(key, ++lastCode);
        if (lastCode >= (1 << codeSize) && codeSize < 12)
            ++codeSize;
        if (lastCode == kMaxCode) {
            bits.code(kClear, codeSize);
            table.clear();
            codeSize = kMinCodeSize + 1;
            lastCode = kEnd;
        }
        current = indices[i];
    }
    bits.code(current, codeSize);
    // The decoder adds one more entry after that code (it runs one behind): its code size may grow
    // before it reads the end code.
    if (lastCode + 1 >= (1 << codeSize) && codeSize < 12)
        ++codeSize;
    bits.code(kEnd, codeSize);
    bits.finish();
}

int level(uint8_t v, int levels) { return int(std::lround(double(v) * (levels - 1) / 255.0)); }

uint8_t levelValue(int l, int levels) { return static_cast<uint8_t>(std::lround(255.0 * l / (levels - 1))); }

} // namespace

int Gif::colourIndex(uint8_t r, uint8_t g, uint8_t b) { return (level(r, 8) << 5) | (level(g, 8) << 2) | level(b, 4); }

void Gif::paletteColour(int index, uint8_t* rgb)
{
    rgb[0] = levelValue((index >> 5) & 7, 8);
    rgb[1] = levelValue((index >> 2) & 7, 8);
    rgb[2] = levelValue(index & 3, 4);
}

std::string Gif::encode(const std::vector<Image8>& frames, int delayCentiseconds, int loops)
{
    if (frames.empty())
        throw Error("GIF: no frames");
    const int w = frames.front().width, h = frames.front().height;
    if (w <= 0 || h <= 0 || w > 65535 || h > 65535)
        throw Error("GIF: frame size " + std::to_string(w) + "x" + std::to_string(h) + " is not allowed (1 to 65535)");
    bool gray = true;
    for (size_t i = 0; i < frames.size(); ++i) {
        const Image8& f = frames[i];
        if (f.width != w || f.height != h)
            throw Error("GIF: frame " + std::to_string(i) + " is " + std::to_string(f.width) + "x"
                        + std::to_string(f.height) + ", the first is " + std::to_string(w) + "x" + std::to_string(h));
        if ((f.channels != 1 && f.channels != 3) || f.pixels.size() != size_t(w) * size_t(h) * size_t(f.channels))
            throw Error("GIF: frame " + std::to_string(i) + " must be gray or RGB");
        gray = gray && f.channels == 1;
    }
    if (delayCentiseconds < 0 || delayCentiseconds > 65535 || loops < 0 || loops > 65535)
        throw Error("GIF: delay and loop count must lie in [0, 65535]");

    std::string out = "GIF89a";
    put16(out, w);
    put16(out, h);
    out.push_back(static_cast<char>(0xF7)); // global colour table of 256 entries, 8-bit colour resolution
    out.push_back('\0'); // background colour index
    out.push_back('\0'); // pixel aspect ratio
    for (int i = 0; i < 256; ++i) {
        uint8_t rgb[3] = {uint8_t(i), uint8_t(i), uint8_t(i)};
        if (!gray)
            paletteColour(i, rgb);
        out.append(reinterpret_cast<const char*>(rgb), 3);
    }
    // Loop forever (or `loops` times).
    out += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01", 16);
    put16(out, loops);
    out.push_back('\0');
    std::vector<uint8_t> indices(size_t(w) * size_t(h));
    for (const Image8& f : frames) {
        out += std::string("\x21\xF9\x04\x04", 4); // graphic control: dispose "do not", no transparency
        put16(out, delayCentiseconds);
        out.push_back('\0');
        out.push_back('\0');
        out.push_back(','); // image descriptor
        put16(out, 0);
        put16(out, 0);
        put16(out, w);
        put16(out, h);
        out.push_back('\0'); // no local colour table, not interlaced
        for (size_t p = 0; p < indices.size(); ++p) {
            if (f.channels == 1) {
                const uint8_t v = f.pixels[p];
                indices[p] = gray ? v : uint8_t(colourIndex(v, v, v));
            } else {
                indices[p] = uint8_t(colourIndex(f.pixels[3 * p], f.pixels[3 * p + 1], f.pixels[3 * p + 2]));
            }
        }
        lzw(indices, out);
    }
    out.push_back(';'); // trailer
    return out;
}

void Gif::write(const std::string& path, const std::vector<Image8>& frames, int delayCentiseconds, int loops)
{
    AtomicFile::write(path, encode(frames, delayCentiseconds, loops));
}

} // namespace lx
