// lx::FigureSpec / lx::FigureData and the session's "figures": a figure's JSON round trip and one-line
// errors naming the bad key, lookup by name or index, and the data written beside a figure (.npy arrays
// equal to the grid, cells.csv with the mean absolute change computed by hand).
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/FigureData.h"
#include "lx/FigureSpec.h"
#include "lx/Npy.h"
#include "lx/Session.h"

#include <QTemporaryDir>

namespace {

lx::FigureSpec sampleSpec()
{
    lx::FigureSpec s;
    s.name = "grid-m2";
    s.layer = "main.5";
    s.channels = {1, 4, 9};
    s.label = "module M2 (3 of 64 channels, NMF)";
    s.rowSeeds = {0, 1};
    s.colSeeds = {7, 8, 4000000000ULL};
    s.style.dpi = 600;
    s.style.fontFamily = "DejaVu Serif";
    s.style.fontPt = 9.5;
    s.style.tileMm = 12.5;
    s.style.title = "Hybrids";
    s.style.showSeeds = false;
    return s;
}

// A 2 x 3 grid of 1 x 1 x 2 images with known values.
lx::HybridGridResult sampleGrid()
{
    lx::HybridGridResult g;
    g.layer = 0;
    g.channels = {1, 4, 9};
    g.originals = lx::Array({2, 1, 1, 2}, {0.f, 0.f, 1.f, -1.f});
    g.donors = lx::Array({3, 1, 1, 2}, {0.5f, 0.5f, -0.5f, 0.f, 1.f, 1.f});
    g.hybrids = lx::Array({2, 3, 1, 1, 2},
                          {0.f, 0.f, 0.5f, -0.5f, 1.f, 1.f, // row 0: change 0, 0.5, 1
                           1.f, -1.f, 0.f, 0.f, 2.f, 0.f}); // row 1: 0, 1, 1
    return g;
}

} // namespace

class TestFigureSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip()
    {
        const lx::FigureSpec s = sampleSpec();
        const lx::FigureSpec back = lx::FigureSpec::fromJson(s.toJson());
        QVERIFY(back == s);
        QCOMPARE(back.colSeeds[2], 4000000000ULL);
        QCOMPARE(back.style.fontPt, 9.5);
        QVERIFY(!back.style.showSeeds);
        QVERIFY(lx::FigureStyle::fromJson(s.style.toJson()) == s.style);
        // An unconditional model's figure writes no class keys (v1 documents stay as they were).
        QVERIFY(s.toJson().find("class") == std::string::npos);

        // A class-conditional model's figure keeps the classes of its rows and columns.
        lx::FigureSpec c = s;
        c.rowClasses = {3, 3};
        c.colClasses = {8, 8, 1};
        c.classFromDonor = true;
        const lx::FigureSpec cb = lx::FigureSpec::fromJson(c.toJson());
        QVERIFY(cb == c);
        QVERIFY(!(cb == s));
        QCOMPARE(cb.colClasses, (std::vector<int>{8, 8, 1}));
        QVERIFY(cb.classFromDonor);
        QVERIFY(c.provenanceJson("m.pt", "ab", "1").find(R"("row_classes":[3,3])") != std::string::npos);
    }

    void defaultsAndTitle()
    {
        const lx::FigureSpec s = lx::FigureSpec::fromJson(R"({"layer": "main.2", "row_seeds": [0], "col_seeds": [1]})");
        QCOMPARE(s.kind, std::string("hybrid-grid"));
        QCOMPARE(s.style.dpi, 300.0);
        QVERIFY(s.style.showTitle && s.style.showSeeds && s.style.showBands);
        QCOMPARE(s.defaultTitle(), std::string("Hybrids: 0 channels of main.2 from z\u2082"));
    }

    void errorsNameTheKey_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbled") << "{"
                                 << "not a JSON object";
        QTest::newRow("kind") << R"({"kind": "heatmap", "layer": "a", "row_seeds": [0], "col_seeds": [0]})"
                              << "unknown kind 'heatmap'";
        QTest::newRow("layer") << R"({"row_seeds": [0], "col_seeds": [0]})"
                               << "'layer' is missing";
        QTest::newRow("seeds") << R"({"layer": "a", "row_seeds": [], "col_seeds": [0]})"
                               << "need at least one seed";
        QTest::newRow("negative") << R"({"layer": "a", "channels": [2, -1], "row_seeds": [0], "col_seeds": [0]})"
                                  << "negative channel -1";
        QTest::newRow("seed type") << R"({"layer": "a", "row_seeds": ["x"], "col_seeds": [0]})"
                                   << "bad value for 'row_seeds'";
        QTest::newRow("dpi") << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "style": {"dpi": 10}})"
                             << "'dpi' must lie in [36, 2400]";
        QTest::newRow("font") << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "style": {"font_pt": 100}})"
                              << "'font_pt'";
        QTest::newRow("tile") << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "style": {"tile_mm": 0}})"
                              << "'tile_mm'";
        QTest::newRow("class count")
            << R"({"layer": "a", "row_seeds": [0, 1], "col_seeds": [0], "row_classes": [2], "col_classes": [1]})"
            << "one class per row and column seed";
        QTest::newRow("class sign")
            << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "row_classes": [-2], "col_classes": [1]})"
            << "a class index is negative (-2)";
        QTest::newRow("class range")
            << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "row_classes": [4294967299], "col_classes": [1]})"
            << "bad value for 'row_classes'";
        QTest::newRow("after cut") << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "class_after_cut": "z2"})"
                                   << "'class_after_cut' must be";
        QTest::newRow("style") << R"({"layer": "a", "row_seeds": [0], "col_seeds": [0], "style": 3})"
                               << "'style' must be an object";
    }
    void errorsNameTheKey()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        LX_VERIFY_ERROR(lx::FigureSpec::fromJson(json.toStdString()), expected.toStdString());
    }

    void sessionKeepsFigures()
    {
        lx::Session s;
        s.modelPath = "/tmp/model.pt";
        lx::FigureSpec a = sampleSpec();
        lx::FigureSpec b = sampleSpec();
        b.name = "grid-m3";
        b.channels = {2};
        s.putFigure(a);
        s.putFigure(b);
        a.style.dpi = 150;
        s.putFigure(a); // same name: replaced in place
        QCOMPARE(s.figures.size(), size_t(2));
        const lx::Session back = lx::Session::fromJson(s.toJson());
        QCOMPARE(back.figures.size(), size_t(2));
        QVERIFY(back.figures[0] == a);
        QVERIFY(back.figures[1] == b);
        QVERIFY(back.figure("") == b); // the last one
        QVERIFY(back.figure("grid-m2") == a); // by name
        QVERIFY(back.figure("0") == a); // by index
        LX_VERIFY_ERROR(back.figure("grid-m9"),
                        "no figure 'grid-m9' in the session (figures: 0 (grid-m2), 1 (grid-m3))");
        LX_VERIFY_ERROR(lx::Session().figure(""), "the session has no figures");
    }

    void sessionRefusesBadFigures()
    {
        lx::Session s;
        s.modelPath = "/tmp/model.pt";
        std::string json = s.toJson();
        const std::string bad =
            R"("figures": [{"layer": "a", "row_seeds": [0], "col_seeds": [0], "style": {"dpi": 1}}])";
        json.replace(json.find("\"figures\": []"), std::string("\"figures\": []").size(), bad);
        LX_VERIFY_ERROR(lx::Session::fromJson(json), "session: figure 0: figure style: 'dpi' must lie in [36, 2400]");
    }

    void provenanceNamesModelAndFigure()
    {
        const std::string p = sampleSpec().provenanceJson("m.pt", "abc123", "9.9.9");
        QVERIFY(p.find(R"("tool":"Latent Explorer","version":"9.9.9","model":"m.pt","model_sha256":"abc123")")
                != std::string::npos);
        QVERIFY(p.find(R"("col_seeds":[7,8,4000000000])") != std::string::npos);
    }

    void cellsCsvByHand()
    {
        const std::string csv = lx::FigureData::cellsCsv(sampleGrid(), sampleSpec());
        QCOMPARE(csv,
                 std::string("row,col,row_seed,col_seed,mean_abs_change\n"
                             "0,0,0,7,0\n0,1,0,8,0.5\n0,2,0,4000000000,1\n"
                             "1,0,1,7,0\n1,1,1,8,1\n1,2,1,4000000000,1\n"));
        lx::FigureSpec wrong = sampleSpec();
        wrong.rowSeeds = {0};
        LX_VERIFY_ERROR(lx::FigureData::cellsCsv(sampleGrid(), wrong), "does not match the figure's seeds");
    }

    void dataFolder()
    {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("data/grid").toStdString(); // created
        const auto written = lx::FigureData::writeHybridGrid(folder, sampleGrid(), sampleSpec(), R"({"x": 1})");
        QCOMPARE(written.size(), size_t(5));
        QVERIFY(lx::Npy::read(folder + "/hybrids.npy") == sampleGrid().hybrids);
        QVERIFY(lx::Npy::read(folder + "/originals.npy") == sampleGrid().originals);
        QVERIFY(lx::Npy::read(folder + "/donors.npy") == sampleGrid().donors);
        QCOMPARE(lx::AtomicFile::read(folder + "/provenance.json"), std::string("{\"x\": 1}\n"));
        QVERIFY(lx::AtomicFile::read(folder + "/cells.csv").find("1,2,1,4000000000,1\n") != std::string::npos);
        // A folder that cannot be made (its parent is a file): one line naming it, nothing written.
        lx::AtomicFile::write(dir.filePath("file").toStdString(), "x");
        LX_VERIFY_ERROR(
            lx::FigureData::writeHybridGrid(dir.filePath("file/sub").toStdString(), sampleGrid(), sampleSpec(), "{}"),
            "cannot write " + dir.filePath("file/sub").toStdString());
    }
};

QTEST_APPLESS_MAIN(TestFigureSpec)
#include "test_FigureSpec.moc"
