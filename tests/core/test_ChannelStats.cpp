// lx::ChannelStats against hand-computed values, and streamed batches against one batch.
#include "TestSupport.h"

#include "lx/ChannelStats.h"
#include "lx/LatentSampler.h"

class TestChannelStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void byHand()
    {
        // [N=2, C=3, 2 positions]; channel 1 holds {1, 3} and {5, 7}: mean 4, population std sqrt(5), max 7.
        const lx::Array a({2, 3, 1, 2}, {0.f, 0.f, 1.f, 3.f, -2.f, -2.f, 9.f, 9.f, 5.f, 7.f, -4.f, 0.f});
        const auto s = lx::ChannelStats::of(a, {1, 2});
        QCOMPARE(s.size(), size_t(2));
        QCOMPARE(s[0].channel, 1);
        QCOMPARE(s[0].mean, 4.0);
        QCOMPARE(s[0].std, std::sqrt(5.0));
        QCOMPARE(s[0].max, 7.0);
        QCOMPARE(s[0].count, int64_t(4));
        // Channel 2 holds {-2, -2, -4, 0}: mean -2, std sqrt(2), max 0.
        QCOMPARE(s[1].mean, -2.0);
        QCOMPARE(s[1].std, std::sqrt(2.0));
        QCOMPARE(s[1].max, 0.0);
        // A constant channel: std exactly 0, even at a large mean.
        const lx::Array big({3, 1, 4}, std::vector<float>(12, 1.0e6f));
        QCOMPARE(lx::ChannelStats::of(big, {0})[0].std, 0.0);
        // A flat layer: each feature is a channel of one position.
        const auto flat = lx::ChannelStats::of(lx::Array({2, 2}, {1.f, 10.f, 3.f, 20.f}), {0});
        QCOMPARE(flat[0].mean, 2.0);
        QCOMPARE(flat[0].std, 1.0);
    }

    void streamedEqualsOneBatch()
    {
        const lx::Array a = lx::LatentSampler({8, 3, 3}).sample(lx::LatentSampler::seedRange(0, 10));
        const auto whole = lx::ChannelStats::of(a, {0, 5, 7});
        lx::ChannelStats streamed({0, 5, 7});
        streamed.add(a.rows(0, 3));
        streamed.add(a.rows(3, 4));
        streamed.add(a.rows(4, 10));
        const auto parts = streamed.result();
        for (size_t k = 0; k < whole.size(); ++k) {
            QCOMPARE(parts[k].count, int64_t(90));
            QVERIFY(std::abs(parts[k].mean - whole[k].mean) < 1e-12);
            QVERIFY(std::abs(parts[k].std - whole[k].std) < 1e-12);
            QCOMPARE(parts[k].max, whole[k].max);
        }
        // Standard normal draws: mean near 0, std near 1 (90 values each).
        QVERIFY(std::abs(whole[0].mean) < 0.4 && std::abs(whole[0].std - 1.0) < 0.3);
    }

    void badInput()
    {
        LX_VERIFY_ERROR(lx::ChannelStats({}), "no channels chosen");
        LX_VERIFY_ERROR(lx::ChannelStats({-1}), "channel -1 is negative");
        LX_VERIFY_ERROR(lx::ChannelStats::of(lx::Array({4}), {0}), "must be [N, C, ...]");
        LX_VERIFY_ERROR(lx::ChannelStats::of(lx::Array({1, 2, 2}), {2}), "channel 2 outside [0, 2)");
        lx::ChannelStats s({0});
        s.add(lx::Array({1, 2, 2}));
        LX_VERIFY_ERROR(s.add(lx::Array({1, 3, 2})), "3 channels after 2");
        LX_VERIFY_ERROR(lx::ChannelStats::of(lx::Array({1, 1, 2}, {0.f, std::nanf("")}), {0}), "NaN");
    }
};

QTEST_APPLESS_MAIN(TestChannelStats)
#include "test_ChannelStats.moc"
