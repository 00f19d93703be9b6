// lx::ui::ImageConvert: arrays to display images.
#include "ui/figure/ImageConvert.h"

#include <QtTest>

using lx::Array;
using lx::ui::ImageConvert;

class TestImageConvert : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void grayMapsOutputRange()
    {
        // [1, 2, 3] in [-1, 1]: -1 -> 0, 1 -> 255, out of range clamps.
        const Array sample({1, 2, 3}, {-1.0f, 0.0f, 1.0f, -3.0f, 3.0f, 0.5f});
        const QImage image = ImageConvert::toImage(sample, -1.0, 1.0);
        QCOMPARE(image.format(), QImage::Format_Grayscale8);
        QCOMPARE(image.size(), QSize(3, 2));
        QCOMPARE(qGray(image.pixel(0, 0)), 0);
        QCOMPARE(qGray(image.pixel(1, 0)), 128);
        QCOMPARE(qGray(image.pixel(2, 0)), 255);
        QCOMPARE(qGray(image.pixel(0, 1)), 0);
        QCOMPARE(qGray(image.pixel(1, 1)), 255);
        QCOMPARE(qGray(image.pixel(2, 1)), 191);
    }

    void rgbUsesPlanes()
    {
        // [3, 1, 2] in [0, 1]: planes are R, G, B.
        const Array sample({3, 1, 2}, {1.0f, 0.0f, 0.0f, 1.0f, 0.5f, 0.25f});
        const QImage image = ImageConvert::toImage(sample, 0.0, 1.0);
        QCOMPARE(image.format(), QImage::Format_RGB888);
        QCOMPARE(image.size(), QSize(2, 1));
        QCOMPARE(image.pixel(0, 0), qRgb(255, 0, 128));
        QCOMPARE(image.pixel(1, 0), qRgb(0, 255, 64));
    }

    void flatIsReshaped()
    {
        const Array flat({12}, std::vector<float>(12, 0.0f));
        QCOMPARE(ImageConvert::toImage(flat, 0.0, 1.0, {3, 2, 2}).format(), QImage::Format_RGB888);
        QCOMPARE(ImageConvert::toImage(flat, 0.0, 1.0, {1, 3, 4}).size(), QSize(4, 3));
        const Array square({16}, std::vector<float>(16, 0.0f));
        QCOMPARE(ImageConvert::toImage(square, 0.0, 1.0).size(), QSize(4, 4));
        QVERIFY(ImageConvert::toImage(Array(), 0.0, 1.0).isNull());
    }

    void fromBatchPicksSample()
    {
        const Array batch({2, 1, 1, 1}, {0.0f, 1.0f});
        QCOMPARE(qGray(ImageConvert::fromBatch(batch, 1, 0.0, 1.0).pixel(0, 0)), 255);
        QVERIFY(ImageConvert::fromBatch(batch, 2, 0.0, 1.0).isNull());
    }

    void thumbnailsAreNormalisedPerChannel()
    {
        // [1, 2, 1, 2]: channel 0 = {10, 20} -> {0, 255}; channel 1 constant -> mid grey.
        const Array act({1, 2, 1, 2}, {10.0f, 20.0f, 5.0f, 5.0f});
        const QVector<QImage> thumbs = ImageConvert::channelThumbnails(act, 0, 512);
        QCOMPARE(thumbs.size(), 2);
        QCOMPARE(qGray(thumbs[0].pixel(0, 0)), 0);
        QCOMPARE(qGray(thumbs[0].pixel(1, 0)), 255);
        QCOMPARE(qGray(thumbs[1].pixel(0, 0)), 128);
        QCOMPARE(ImageConvert::channelThumbnails(act, 0, 1).size(), 1);
    }

    void flatLayerThumbnailsShareAScale()
    {
        const Array act({1, 3}, {0.0f, 1.0f, 2.0f});
        const QVector<QImage> thumbs = ImageConvert::channelThumbnails(act, 0, 512);
        QCOMPARE(thumbs.size(), 3);
        QCOMPARE(thumbs[0].size(), QSize(1, 1));
        QCOMPARE(qGray(thumbs[0].pixel(0, 0)), 0);
        QCOMPARE(qGray(thumbs[1].pixel(0, 0)), 128);
        QCOMPARE(qGray(thumbs[2].pixel(0, 0)), 255);
    }
};

QTEST_GUILESS_MAIN(TestImageConvert)
#include "test_ImageConvert.moc"
