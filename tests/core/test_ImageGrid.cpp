// Image grids and PNG files without Qt: value mapping, layout, padding, upscaling, PNG round trips.
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/ImageGrid.h"
#include "lx/Png.h"

#include <QTemporaryDir>

namespace {

// A [C, H, W] tile whose every value is v.
lx::Array tile(int64_t c, int64_t h, int64_t w, float v)
{
    return lx::Array({c, h, w}, std::vector<float>(size_t(c * h * w), v));
}

uint32_t bigEndian32(const std::string& b, size_t at)
{
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8)
        | uint32_t(uint8_t(b[at + 3]));
}

} // namespace

class TestImageGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valueMapping()
    {
        QCOMPARE(int(lx::ImageGrid::toByte(-1.0f, -1, 1)), 0);
        QCOMPARE(int(lx::ImageGrid::toByte(1.0f, -1, 1)), 255);
        QCOMPARE(int(lx::ImageGrid::toByte(0.0f, -1, 1)), 128); // 127.5 rounds up
        QCOMPARE(int(lx::ImageGrid::toByte(0.5f, 0, 1)), 128);
        QCOMPARE(int(lx::ImageGrid::toByte(0.2f, 0, 1)), 51);
        QCOMPARE(int(lx::ImageGrid::toByte(-3.0f, -1, 1)), 0); // clamped
        QCOMPARE(int(lx::ImageGrid::toByte(7.0f, -1, 1)), 255);
        QCOMPARE(int(lx::ImageGrid::toByte(std::nanf(""), -1, 1)), 0);
    }
    void grayLayout()
    {
        // 2 x 3 cells of 2x2 tiles, padding 1, header gap 2: the blank corner stays background.
        std::vector<lx::Array> tiles;
        for (int i = 0; i < 6; ++i)
            tiles.push_back(i == 0 ? lx::Array() : tile(1, 2, 2, -1.0f + 0.4f * float(i)));
        lx::ImageGridOptions o;
        o.padding = 1;
        o.headerGap = 2;
        o.background = 200;
        const lx::Image8 img = lx::ImageGrid::compose(tiles, 2, 3, o);
        QCOMPARE(img.channels, 1);
        QCOMPARE(img.width, 3 * 2 + 4 * 1 + 2);
        QCOMPARE(img.height, 2 * 2 + 3 * 1 + 2);
        QCOMPARE(int(*img.at(0, 0)), 200);
        QCOMPARE(int(*img.at(1, 1)), 200); // the blank corner cell
        // Cell (0, 1) starts at x = 1 + 2 + 1 + 2 (gap) = 6, y = 1.
        QCOMPARE(int(*img.at(6, 1)), int(lx::ImageGrid::toByte(-0.6f, -1, 1)));
        QCOMPARE(int(*img.at(7, 2)), int(lx::ImageGrid::toByte(-0.6f, -1, 1)));
        QCOMPARE(int(*img.at(5, 1)), 200); // in the gap
        // Cell (1, 0) starts at y = 1 + 2 + 1 + 2 = 6, x = 1.
        QCOMPARE(int(*img.at(1, 6)), int(lx::ImageGrid::toByte(-1.0f + 0.4f * 3, -1, 1)));
        // Cell (1, 2): x = 6 + 2 + 1 = 9.
        QCOMPARE(int(*img.at(9, 6)), int(lx::ImageGrid::toByte(-1.0f + 0.4f * 5, -1, 1)));
        QCOMPARE(int(*img.at(11, 6)), 200); // right border
    }
    void rgbPlanesAreInterleaved()
    {
        lx::Array t({3, 1, 2});
        const float values[] = {0.0f, 0.2f, 0.5f, 0.6f, 1.0f, 0.8f}; // R plane, G plane, B plane
        std::copy(values, values + 6, t.ptr());
        lx::ImageGridOptions o;
        o.low = 0;
        o.high = 1;
        o.padding = 0;
        const lx::Image8 img = lx::ImageGrid::compose({t}, 1, 1, o);
        QCOMPARE(img.channels, 3);
        QCOMPARE(img.width, 2);
        QCOMPARE(img.height, 1);
        QCOMPARE(std::vector<int>(img.pixels.begin(), img.pixels.end()), (std::vector<int>{0, 128, 255, 51, 153, 204}));
    }
    void upscaling()
    {
        lx::Array t({2, 2}, {0.0f, 1.0f, 1.0f, 0.0f}); // [H, W] counts as gray
        lx::ImageGridOptions o;
        o.low = 0;
        o.high = 1;
        o.padding = 1;
        o.background = 77;
        o.scale = 3;
        const lx::Image8 img = lx::ImageGrid::compose({t}, 1, 1, o);
        QCOMPARE(img.width, 4 * 3);
        QCOMPARE(img.height, 4 * 3);
        QCOMPARE(int(*img.at(2, 2)), 77); // the padding, 3 pixels wide
        QCOMPARE(int(*img.at(3, 3)), 0);
        QCOMPARE(int(*img.at(5, 5)), 0);
        QCOMPARE(int(*img.at(6, 3)), 255);
        QCOMPARE(int(*img.at(8, 5)), 255);
        QCOMPARE(int(*img.at(3, 6)), 255);
        QCOMPARE(int(*img.at(6, 6)), 0);
    }
    void errors()
    {
        const lx::Array g = tile(1, 2, 2, 0.0f);
        LX_VERIFY_ERROR(lx::ImageGrid::compose({g, g}, 1, 3), "expected rows x cols = 1 x 3 tiles, got 2");
        LX_VERIFY_ERROR(lx::ImageGrid::compose({g, tile(1, 3, 2, 0.0f)}, 1, 2), "tiles of different shapes");
        LX_VERIFY_ERROR(lx::ImageGrid::compose({tile(2, 2, 2, 0.0f)}, 1, 1), "cannot draw outputs of shape [2, 2, 2]");
        LX_VERIFY_ERROR(lx::ImageGrid::compose({lx::Array({5}, std::vector<float>(5))}, 1, 1),
                        "cannot draw outputs of shape [5]");
        LX_VERIFY_ERROR(lx::ImageGrid::compose({lx::Array(), lx::Array()}, 1, 2), "no tile to draw");
        lx::ImageGridOptions o;
        o.scale = 0;
        LX_VERIFY_ERROR(lx::ImageGrid::compose({g}, 1, 1, o), "scale must be between 1 and 16");
        o = {};
        o.low = 1;
        LX_VERIFY_ERROR(lx::ImageGrid::compose({g}, 1, 1, o), "low < high");
    }
    void pngRoundTrip_data()
    {
        QTest::addColumn<int>("channels");
        QTest::newRow("gray") << 1;
        QTest::newRow("rgb") << 3;
    }
    void pngRoundTrip()
    {
        QFETCH(int, channels);
        lx::Image8 img(7, 5, channels);
        for (size_t i = 0; i < img.pixels.size(); ++i)
            img.pixels[i] = uint8_t((i * 37 + 11) % 256);
        const std::string bytes = lx::Png::encode(img);
        // The signature, then IHDR with width, height, bit depth 8 and colour type 0 (gray) / 2 (RGB).
        QCOMPARE(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
        QCOMPARE(bytes.substr(12, 4), std::string("IHDR"));
        QCOMPARE(bigEndian32(bytes, 16), 7u);
        QCOMPARE(bigEndian32(bytes, 20), 5u);
        QCOMPARE(int(uint8_t(bytes[24])), 8);
        QCOMPARE(int(uint8_t(bytes[25])), channels == 1 ? 0 : 2);
        QVERIFY(lx::Png::decode(bytes, "mem") == img);

        QTemporaryDir dir;
        const std::string path = dir.filePath("x.png").toStdString();
        lx::Png::write(path, img);
        QCOMPARE(lx::AtomicFile::read(path), bytes);
        QVERIFY(lx::Png::read(path) == img);
    }
    void pngErrors()
    {
        LX_VERIFY_ERROR(lx::Png::encode(lx::Image8()), "png: the image is empty");
        LX_VERIFY_ERROR(lx::Png::encode(lx::Image8(2, 2, 4)), "got 4 channels");
        LX_VERIFY_ERROR(lx::Png::decode("GIF89a not a png", "junk.png"), "junk.png: not a PNG file");
        LX_VERIFY_ERROR(lx::Png::write("/no/such/dir/x.png", lx::Image8(1, 1, 1)), "cannot write /no/such/dir/x.png");
        LX_VERIFY_ERROR(lx::Png::read("/no/such.png"), "cannot read /no/such.png");
    }
};

QTEST_APPLESS_MAIN(TestImageGrid)
#include "test_ImageGrid.moc"
