// lx::Gif read back by a GIF89a decoder written here from the format (header, global palette,
// NETSCAPE2.0 loop and graphic-control extensions, LZW with variable code size and clear codes), so the
// writer is checked in core, under the sanitizers too; tests/ui/test_GifQt.cpp reads it with Qt's decoder.
#include "TestSupport.h"

#include "lx/Gif.h"
#include "lx/Image8.h"

#include <QTemporaryDir>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Decoded {
    int width = 0, height = 0;
    int loops = -1; // NETSCAPE2.0 loop count (-1: no block)
    std::vector<int> delays; // per frame, centiseconds
    std::vector<std::vector<uint8_t>> frames; // RGB, width * height * 3
};

class Reader {
public:
    explicit Reader(const std::string& s)
        : mS(s)
    {
    }
    uint8_t byte()
    {
        if (mAt >= mS.size())
            throw std::runtime_error("truncated GIF");
        return uint8_t(mS[mAt++]);
    }
    int le16()
    {
        const int lo = byte();
        return lo | (byte() << 8);
    }
    std::string bytes(size_t n)
    {
        std::string out;
        for (size_t i = 0; i < n; ++i)
            out.push_back(char(byte()));
        return out;
    }
    std::string subBlocks()
    {
        std::string out;
        for (uint8_t n = byte(); n != 0; n = byte())
            out += bytes(n);
        return out;
    }

private:
    const std::string& mS;
    size_t mAt = 0;
};

// GIF's LZW: codes LSB first, code size minCode + 1 growing to 12, clear and end codes.
std::vector<uint8_t> lzw(const std::string& data, int minCode, size_t count)
{
    const int clear = 1 << minCode, end = clear + 1;
    std::vector<std::vector<uint8_t>> table;
    const auto reset = [&] {
        table.clear();
        for (int i = 0; i < clear; ++i)
            table.push_back({uint8_t(i)});
        table.push_back({});
        table.push_back({});
    };
    reset();
    int size = minCode + 1, previous = -1;
    size_t bit = 0;
    std::vector<uint8_t> out;
    while (bit + size_t(size) <= data.size() * 8) {
        int code = 0;
        for (int i = 0; i < size; ++i, ++bit)
            code |= ((uint8_t(data[bit / 8]) >> (bit % 8)) & 1) << i;
        if (code == clear) {
            reset();
            size = minCode + 1;
            previous = -1;
            continue;
        }
        if (code == end)
            break;
        std::vector<uint8_t> entry;
        if (code < int(table.size()))
            entry = table[size_t(code)];
        else if (code == int(table.size()) && previous >= 0) {
            entry = table[size_t(previous)];
            entry.push_back(table[size_t(previous)][0]);
        } else {
            throw std::runtime_error("bad LZW code");
        }
        out.insert(out.end(), entry.begin(), entry.end());
        if (previous >= 0 && table.size() < 4096) {
            std::vector<uint8_t> next = table[size_t(previous)];
            next.push_back(entry[0]);
            table.push_back(next);
            if (int(table.size()) == (1 << size) && size < 12)
                ++size;
        }
        previous = code;
    }
    if (out.size() != count)
        throw std::runtime_error("LZW gave " + std::to_string(out.size()) + " pixels, not " + std::to_string(count));
    return out;
}

Decoded decode(const std::string& gif)
{
    Reader r(gif);
    Decoded d;
    if (r.bytes(6) != "GIF89a")
        throw std::runtime_error("not GIF89a");
    d.width = r.le16();
    d.height = r.le16();
    const uint8_t flags = r.byte();
    r.byte(); // background colour
    r.byte(); // aspect
    if (!(flags & 0x80))
        throw std::runtime_error("no global palette");
    const std::string palette = r.bytes(size_t(3) << ((flags & 7) + 1));
    int delay = -1;
    for (;;) {
        const uint8_t block = r.byte();
        if (block == 0x3B)
            return d;
        if (block == 0x21) {
            const uint8_t label = r.byte();
            const std::string body = r.subBlocks();
            if (label == 0xFF && body.size() == 14 && body.substr(0, 11) == "NETSCAPE2.0")
                d.loops = uint8_t(body[12]) | (uint8_t(body[13]) << 8);
            else if (label == 0xF9 && body.size() == 4)
                delay = uint8_t(body[1]) | (uint8_t(body[2]) << 8);
            continue;
        }
        if (block != 0x2C)
            throw std::runtime_error("unknown block");
        r.le16();
        r.le16();
        const int w = r.le16(), h = r.le16();
        if (r.byte() & 0x80)
            throw std::runtime_error("local palettes are not expected");
        const int minCode = r.byte();
        const std::vector<uint8_t> indices = lzw(r.subBlocks(), minCode, size_t(w) * size_t(h));
        std::vector<uint8_t> rgb;
        for (uint8_t i : indices)
            rgb.insert(rgb.end(), palette.begin() + 3 * i, palette.begin() + 3 * i + 3);
        d.frames.push_back(rgb);
        d.delays.push_back(delay);
    }
}

} // namespace

class TestGif : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void grayFramesExact()
    {
        // 3 frames of 128 x 96 with every grey level and pseudo-random texture: the LZW table fills and
        // the writer must clear and restart it.
        std::vector<lx::Image8> frames;
        uint32_t state = 1;
        for (int f = 0; f < 3; ++f) {
            lx::Image8 image(128, 96, 1);
            for (size_t p = 0; p < image.pixels.size(); ++p) {
                state = state * 1664525u + 1013904223u;
                image.pixels[p] = f == 0 ? uint8_t(p % 256) : f == 1 ? uint8_t(state >> 24) : uint8_t((p / 128) * 7);
            }
            frames.push_back(image);
        }
        const Decoded d = decode(lx::Gif::encode(frames, 4));
        QCOMPARE(d.width, 128);
        QCOMPARE(d.height, 96);
        QCOMPARE(d.loops, 0); // forever
        QCOMPARE(d.delays, (std::vector<int>{4, 4, 4}));
        QCOMPARE(int(d.frames.size()), 3);
        for (int f = 0; f < 3; ++f)
            for (size_t p = 0; p < frames[size_t(f)].pixels.size(); ++p)
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(int(d.frames[size_t(f)][3 * p + size_t(c)]), int(frames[size_t(f)].pixels[p]));
    }

    void colourToTheNearestLevel()
    {
        lx::Image8 image(16, 16, 3);
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < 16; ++x) {
                uint8_t* p = image.at(x, y);
                p[0] = uint8_t(x * 17);
                p[1] = uint8_t(y * 17);
                p[2] = uint8_t((x + y) * 8);
            }
        }
        const Decoded d = decode(lx::Gif::encode({image, image}, 10, 3));
        QCOMPARE(d.loops, 3);
        QCOMPARE(d.delays, (std::vector<int>{10, 10}));
        // 3-3-2 levels: red and green in steps of 255/7, blue of 255/3; each pixel within half a step.
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < 16; ++x) {
                const uint8_t* p = image.at(x, y);
                const uint8_t* q = d.frames[1].data() + 3 * size_t(y * 16 + x);
                QVERIFY(std::abs(int(q[0]) - p[0]) <= 19 && std::abs(int(q[1]) - p[1]) <= 19
                        && std::abs(int(q[2]) - p[2]) <= 43);
            }
        }
    }

    void badInput()
    {
        LX_VERIFY_ERROR(lx::Gif::encode({}, 4), "GIF: no frames");
        LX_VERIFY_ERROR(lx::Gif::encode({lx::Image8(4, 4, 1), lx::Image8(5, 4, 1)}, 4), "GIF: frame 1 is 5x4");
        LX_VERIFY_ERROR(lx::Gif::encode({lx::Image8(4, 4, 2)}, 4), "GIF: frame 0 must be gray or RGB");
        LX_VERIFY_ERROR(lx::Gif::encode({lx::Image8(4, 4, 1)}, 70000),
                        "GIF: delay and loop count must lie in [0, 65535]");
        QTemporaryDir dir;
        LX_VERIFY_ERROR(
            lx::Gif::write(dir.filePath(QStringLiteral("no/x.gif")).toStdString(), {lx::Image8(4, 4, 1)}, 4),
            "cannot write");
    }
};

QTEST_APPLESS_MAIN(TestGif)
#include "test_Gif.moc"
