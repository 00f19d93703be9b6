// lx::Shard: parsing K/N, and the slices of N shards covering every item exactly once, in whole units.
#include "TestSupport.h"

#include "lx/Shard.h"

#include <vector>

class TestShard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses()
    {
        const lx::Shard s = lx::Shard::parse("3/7");
        QCOMPARE(s.index, int64_t(3));
        QCOMPARE(s.count, int64_t(7));
        QCOMPARE(s.text(), std::string("3/7"));
        QVERIFY(lx::Shard::parse("0/1").whole());
        for (const char* bad :
             {"", "3", "7/7", "8/7", "-1/4", "1/0", "1/-2", "a/4", "1/4x", "1/100001", " 1/4", "1//4"})
            LX_VERIFY_ERROR(lx::Shard::parse(bad), "must be K/N");
    }
    void slicesCoverEveryItemOnce()
    {
        for (int64_t total : {0, 1, 2, 5, 16, 17, 31, 100, 1001})
            for (int64_t unit : {1, 3, 16})
                for (int64_t n = 1; n <= 7; ++n) {
                    std::vector<int> seen(static_cast<size_t>(total), 0);
                    int64_t expectBegin = 0;
                    for (int64_t k = 0; k < n; ++k) {
                        const auto [begin, end] = lx::Shard{k, n}.slice(total, unit);
                        QCOMPARE(begin, expectBegin); // contiguous, in shard order
                        QVERIFY(end >= begin);
                        // Cut on whole units: only the job's end may fall inside one.
                        QVERIFY(begin % unit == 0);
                        QVERIFY(end % unit == 0 || end == total);
                        for (int64_t i = begin; i < end; ++i)
                            ++seen[static_cast<size_t>(i)];
                        expectBegin = end;
                    }
                    QCOMPARE(expectBegin, total);
                    for (int c : seen)
                        QCOMPARE(c, 1);
                }
    }
    void balancedAndKnownSlices()
    {
        // 10 items, 4 shards: units [0,2) [2,5) [5,7) [7,10) by floor(U K / N).
        const std::vector<std::pair<int64_t, int64_t>> expected{{0, 2}, {2, 5}, {5, 7}, {7, 10}};
        for (int64_t k = 0; k < 4; ++k)
            QCOMPARE(lx::Shard({k, 4}).slice(10), expected[size_t(k)]);
        // 40 pairs in chunks of 16 (3 units: 16, 16, 8) over 2 shards: [0, 16) and [16, 40).
        QCOMPARE(lx::Shard({0, 2}).slice(40, 16), std::make_pair(int64_t(0), int64_t(16)));
        QCOMPARE(lx::Shard({1, 2}).slice(40, 16), std::make_pair(int64_t(16), int64_t(40)));
        // More shards than units: the extra ones are empty.
        QCOMPARE(lx::Shard({0, 3}).slice(1), std::make_pair(int64_t(0), int64_t(0)));
        QCOMPARE(lx::Shard({2, 3}).slice(1), std::make_pair(int64_t(0), int64_t(1)));
        LX_VERIFY_ERROR(lx::Shard({0, 2}).slice(-1), "total must be");
        LX_VERIFY_ERROR(lx::Shard({0, 2}).slice(4, 0), "unit >= 1");
    }
};

QTEST_APPLESS_MAIN(TestShard)
#include "test_Shard.moc"
