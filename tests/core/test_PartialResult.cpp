// lx::PartialResult: the file round trip, refusals of broken files, and merge: exact sums of known
// parts, N = 1 bit for bit, and one-line refusals naming the part for another job, a repeated or a
// missing shard.
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/PartialResult.h"

#include <QTemporaryDir>

#include <cmath>

namespace {

using Job = std::vector<std::pair<std::string, std::string>>;

// Shard k of n over `total` items whose item i contributes the values (i, 2 i) to a [2] sum.
lx::PartialResult part(int64_t k, int64_t n, int64_t total, const Job& job = {{"command", "test"}, {"layer", "a"}})
{
    lx::PartialResult p;
    p.job = job;
    p.shard = lx::Shard{k, n};
    p.total = total;
    std::tie(p.begin, p.end) = p.shard.slice(total);
    p.data.count = p.end - p.begin;
    if (p.data.count > 0) {
        p.data.shape = {2};
        p.data.sum = {0.0, 0.0};
        for (int64_t i = p.begin; i < p.end; ++i) {
            p.data.sum[0] += double(i);
            p.data.sum[1] += 2.0 * double(i);
        }
    }
    return p;
}

std::vector<std::pair<std::string, lx::PartialResult>> named(const std::vector<lx::PartialResult>& parts)
{
    std::vector<std::pair<std::string, lx::PartialResult>> out;
    for (const lx::PartialResult& p : parts)
        out.emplace_back("part" + std::to_string(p.shard.index) + ".lxpart", p);
    return out;
}

} // namespace

class TestPartialResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void finishes()
    {
        lx::PartialSum s{{2}, {9.0, 2.0}, 4};
        QCOMPARE(s.finished(lx::PartialSum::Finish::Mean).data(), (std::vector<float>{2.25f, 0.5f}));
        QCOMPARE(s.finished(lx::PartialSum::Finish::RootMean).data(),
                 (std::vector<float>{1.5f, float(std::sqrt(0.5))}));
        QCOMPARE(s.finished(lx::PartialSum::Finish::Sum).data(), (std::vector<float>{9.0f, 2.0f}));
        // RowMean: 6 items over 2 rows are 3 per row, each row divided by 3.
        const lx::PartialSum rows{{2, 2}, {3.0, 6.0, 9.0, 1.5}, 6};
        QCOMPARE(rows.finished(lx::PartialSum::Finish::RowMean).data(), (std::vector<float>{1.0f, 2.0f, 3.0f, 0.5f}));
        LX_VERIFY_ERROR((lx::PartialSum{{2, 2}, {0, 0, 0, 0}, 5}.finished(lx::PartialSum::Finish::RowMean)),
                        "5 items do not divide among 2 rows");
        s.count = 0;
        LX_VERIFY_ERROR(s.finished(lx::PartialSum::Finish::Mean), "no items");
    }
    void roundTripsAndRefusesBrokenFiles()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.lxpart").toStdString();
        lx::PartialResult p = part(1, 3, 10);
        p.finish = lx::PartialSum::Finish::RootMean;
        p.data.sum[0] = 0.1; // not exact in binary: the bits must survive
        p.meta = R"({"factors":["a","b"],"seed":3})";
        p.computeMs = 12.5;
        p.write(path);
        const lx::PartialResult q = lx::PartialResult::read(path);
        QCOMPARE(q.job, p.job);
        QVERIFY(q.finish == p.finish);
        QCOMPARE(q.shard.index, int64_t(1));
        QCOMPARE(q.shard.count, int64_t(3));
        QCOMPARE(q.begin, p.begin);
        QCOMPARE(q.end, p.end);
        QCOMPARE(q.total, int64_t(10));
        QCOMPARE(q.data.shape, p.data.shape);
        QCOMPARE(q.data.sum, p.data.sum);
        QCOMPARE(q.data.count, p.data.count);
        QCOMPARE(q.meta, p.meta);
        QCOMPARE(q.computeMs, 12.5);
        for (auto finish : {lx::PartialSum::Finish::Sum, lx::PartialSum::Finish::RowMean}) {
            p.finish = finish;
            p.write(path);
            QVERIFY(lx::PartialResult::read(path).finish == finish);
        }

        const std::string bytes = lx::AtomicFile::read(path);
        const std::string cut = dir.filePath("cut.lxpart").toStdString();
        lx::AtomicFile::write(cut, bytes.substr(0, bytes.size() - 3));
        LX_VERIFY_ERROR(lx::PartialResult::read(cut), "truncated");
        const std::string npy = dir.filePath("x.npy").toStdString();
        lx::AtomicFile::write(npy, "\x93NUMPY junk");
        LX_VERIFY_ERROR(lx::PartialResult::read(npy), "no LXPART header");
        const std::string json = dir.filePath("j.lxpart").toStdString();
        lx::AtomicFile::write(json, "LXPART 1\n{\"job\": 3}\n");
        LX_VERIFY_ERROR(lx::PartialResult::read(json), "not a shard's partial result");
        LX_VERIFY_ERROR(lx::PartialResult::read(dir.filePath("missing").toStdString()), "cannot read");
    }
    void mergesExactly()
    {
        for (int64_t n = 1; n <= 7; ++n) {
            std::vector<lx::PartialResult> parts;
            for (int64_t k = n - 1; k >= 0; --k) // any order
                parts.push_back(part(k, n, 5)); // n > 5 gives empty shards
            const lx::PartialResult m = lx::PartialResult::merge(named(parts));
            QCOMPARE(m.data.count, int64_t(5));
            QCOMPARE(m.data.sum, (std::vector<double>{10.0, 20.0})); // 0+1+2+3+4
            QCOMPARE(m.data.finished(m.finish).data(), (std::vector<float>{2.0f, 4.0f}));
            QCOMPARE(m.computeMs, 0.0);
        }
    }
    void oneShardIsBitForBit()
    {
        lx::PartialResult p = part(0, 1, 3);
        p.data.sum = {0.1, 1.0 / 3.0};
        const lx::PartialResult m = lx::PartialResult::merge(named({p}));
        QCOMPARE(m.data.sum, p.data.sum);
        QVERIFY(m.data.finished(m.finish) == p.data.finished(p.finish));
    }
    void refusesWhatIsNotOneJob()
    {
        LX_VERIFY_ERROR(lx::PartialResult::merge({}), "no parts");
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 3, 9), part(2, 3, 9)})), "shard 1 of 3 missing");
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 4, 9), part(3, 4, 9)})), "shards 1, 2 of 4 missing");
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 2, 9), part(1, 2, 9), part(1, 2, 9)})),
                        "shard 1/2 given twice: part1.lxpart and part1.lxpart");
        LX_VERIFY_ERROR(
            lx::PartialResult::merge(named({part(0, 2, 9), part(1, 2, 9, {{"command", "test"}, {"layer", "b"}})})),
            "part1.lxpart belongs to another job than part0.lxpart: layer is 'b', not 'a'");
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 2, 9), part(1, 3, 9)})), "cut into 3");
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 2, 9), part(1, 2, 8)})), "not the same job");
        lx::PartialResult overlap = part(1, 2, 9);
        overlap.begin -= 1;
        overlap.data.count += 1;
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 2, 9), overlap})), "expected to start at");
        lx::PartialResult shape = part(1, 2, 9);
        shape.data.shape = {1, 2};
        LX_VERIFY_ERROR(lx::PartialResult::merge(named({part(0, 2, 9), shape})), "sums of shape");
    }
};

QTEST_APPLESS_MAIN(TestPartialResult)
#include "test_PartialResult.moc"
