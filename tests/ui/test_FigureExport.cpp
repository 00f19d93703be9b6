// Paper figures: the module hybrid grid drawn by HybridGridFigure, written as PDF/SVG/PNG by
// FigureWriter and exported from the GUI's grid view (FigureMenu), checked offscreen:
// - tiles land where the layout says, pixel for pixel (constant tiles, known grey levels);
// - the PDF is valid (pdfinfo) and rasterises (pdftoppm) to the PNG export's pixels; the SVG parses and
//   holds one <image> per tile, the seeds as text and the provenance; the PNG carries its DPI and
//   provenance;
// - an unwritable path fails with one line and writes nothing;
// - the GUI's export and `latent-explorer-cli render` of its sidecar session give the same pixels, also
//   after saving the whole session; copy and data exports hold the grid's own numbers.
#include "ui/compute/ComputeController.h"
#include "ui/figure/FigureMenu.h"
#include "ui/figure/FigureWriter.h"
#include "ui/figure/HybridGridFigure.h"
#include "ui/shell/MainWindow.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/shell/SessionController.h"
#include "ui/compute/TaskBar.h"

#include "lx/Error.h"
#include "lx/ImageGrid.h"
#include "lx/Npy.h"
#include "lx/Session.h"

#include "UiTestSupport.h"

#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QImageReader>
#include <QLineEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>

using namespace lx::ui;
using namespace lx::ui::test;

namespace {

constexpr int kTimeoutMs = 300000;

// A 2 x 3 grid of constant gray 1 x 4 x 4 tiles: originals 0.0/0.2, donors 0.4/0.6/0.8, hybrid (i, j) = -0.9 + 0.3 (3i + j).
lx::HybridGridResult constantGrid()
{
    const auto tiles = [](int n, const std::function<float(int)>& value) {
        lx::Array a({n, 1, 4, 4});
        for (int i = 0; i < n; ++i)
            std::fill(a.ptr() + i * 16, a.ptr() + (i + 1) * 16, value(i));
        return a;
    };
    lx::HybridGridResult g;
    g.originals = tiles(2, [](int i) { return 0.2f * float(i); });
    g.donors = tiles(3, [](int i) { return 0.4f + 0.2f * float(i); });
    g.hybrids = tiles(6, [](int i) { return -0.9f + 0.3f * float(i); }).reshaped({2, 3, 1, 4, 4});
    return g;
}

lx::FigureSpec constantSpec()
{
    lx::FigureSpec s;
    s.name = "constant";
    s.layer = "main.5";
    s.channels = {1, 2};
    s.label = "two channels";
    s.rowSeeds = {3, 4};
    s.colSeeds = {10, 11, 12};
    return s;
}

int gray(const QImage& image, QPointF at) { return qGray(image.pixel(at.toPoint())); }

// Runs a tool; false when it is missing or fails.
bool runTool(const QString& program, const QStringList& args, QByteArray* out = nullptr)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << program << args << "failed:" << p.readAllStandardError();
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    return true;
}

struct Diff {
    int max = 0;
    double mean = 0.0;
    bool sameSize = false;
};

Diff compare(const QImage& a, const QImage& b)
{
    Diff d;
    d.sameSize = a.size() == b.size();
    if (!d.sameSize)
        return d;
    const QImage x = a.convertToFormat(QImage::Format_RGB888), y = b.convertToFormat(QImage::Format_RGB888);
    double sum = 0.0;
    for (int r = 0; r < x.height(); ++r) {
        const uchar* p = x.constScanLine(r);
        const uchar* q = y.constScanLine(r);
        for (int i = 0; i < x.width() * 3; ++i) {
            const int diff = std::abs(int(p[i]) - int(q[i]));
            d.max = std::max(d.max, diff);
            sum += diff;
        }
    }
    d.mean = sum / (double(x.width()) * x.height() * 3);
    return d;
}

bool waitForGrid(ModuleGridView* view)
{
    QSignalSpy finished(view->taskBar(), &TaskBar::finished);
    view->compute();
    if (!view->taskBar()->isRunning())
        return false;
    return QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs) && finished.first().at(1).toBool();
}

QByteArray cliRun(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(LX_CLI_PATH), args);
    p.waitForFinished(kTimeoutMs);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        qWarning() << "cli" << args << "failed:" << p.readAllStandardError();
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

} // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_FigureExport"));
    }

    void tilesWhereTheLayoutSays()
    {
        const lx::FigureSpec spec = constantSpec();
        const HybridGridFigure figure(constantGrid(), -1.0, 1.0, spec);
        const double dpi = 144.0, scale = dpi / 72.0;
        const QImage image = figure.rasterize(dpi);
        QCOMPARE(image.size(), (figure.sizePt() * scale).toSize());
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 144);
        const lx::HybridGridResult g = constantGrid();
        for (int r = 0; r <= 2; ++r) {
            for (int c = 0; c <= 3; ++c) {
                const QRectF t = figure.tileRect(r, c);
                const QPointF centre = t.center() * scale;
                if (r == 0 && c == 0) {
                    QCOMPARE(gray(image, centre), 255); // the empty corner
                    continue;
                }
                const lx::Array& source = r == 0 ? g.donors : c == 0 ? g.originals : g.hybrids;
                const int index = r == 0 ? c - 1 : c == 0 ? r - 1 : (r - 1) * 3 + (c - 1);
                const int want = lx::ImageGrid::toByte(source.ptr()[index * 16], -1.0, 1.0);
                QCOMPARE(gray(image, centre), want);
                // and across the whole tile (inside a 1-pixel border)
                QCOMPARE(gray(image, t.topLeft() * scale + QPointF(1.5, 1.5)), want);
                QCOMPARE(gray(image, t.bottomRight() * scale - QPointF(1.5, 1.5)), want);
            }
        }
        // Tiles are square, 10 mm by default, and the hybrids sit apart from the donors/originals.
        QCOMPARE(figure.tileRect(1, 1).width(), 10.0 * 72.0 / 25.4);
        QVERIFY(figure.tileRect(1, 1).top() - figure.tileRect(0, 1).bottom()
                > figure.tileRect(2, 1).top() - figure.tileRect(1, 1).bottom());
        // A larger tile grows the figure; no title makes it shorter.
        lx::FigureSpec big = spec;
        big.style.tileMm = 20;
        big.style.showTitle = false;
        const HybridGridFigure larger(constantGrid(), -1.0, 1.0, big);
        QVERIFY(larger.sizePt().width() > figure.sizePt().width() * 1.5);
        QVERIFY(larger.tileRect(0, 0).top() < figure.tileRect(0, 0).top());
        QVERIFY_THROWS_EXCEPTION(lx::Error, HybridGridFigure(lx::HybridGridResult(), -1.0, 1.0, spec));
    }

    void pdfSvgPngAgree()
    {
        QTemporaryDir dir;
        const HybridGridFigure figure(constantGrid(), -1.0, 1.0, constantSpec());
        const QString provenance = QStringLiteral(R"({"tool":"Latent Explorer","model_sha256":"feed"})");
        const QString pdf = dir.filePath(QStringLiteral("f.pdf")), svg = dir.filePath(QStringLiteral("f.svg")),
                      png = dir.filePath(QStringLiteral("f.png"));
        for (const QString& path : {pdf, svg, png})
            FigureWriter::write(path, figure, provenance);

        // PDF: valid, one page of the figure's size in points, provenance in Creator.
        QByteArray info;
        QVERIFY2(runTool(QStringLiteral("pdfinfo"), {pdf}, &info), "pdfinfo (poppler-utils) must parse the PDF");
        // pdfinfo pads its keys to a width that depends on poppler's version: parse, do not match spaces.
        const QString infoText = QString::fromUtf8(info);
        const QRegularExpressionMatch pages = QRegularExpression(QStringLiteral(R"(Pages:\s+(\d+))")).match(infoText);
        QVERIFY2(pages.hasMatch() && pages.captured(1) == QLatin1String("1"), info.constData());
        const QRegularExpressionMatch size =
            QRegularExpression(QStringLiteral(R"(Page size:\s+([\d.]+) x ([\d.]+) pts)")).match(infoText);
        QVERIFY2(size.hasMatch(), info.constData());
        QVERIFY2(std::abs(size.captured(1).toDouble() - figure.sizePt().width()) <= 0.5
                     && std::abs(size.captured(2).toDouble() - figure.sizePt().height()) <= 0.5,
                 info.constData());
        QVERIFY(info.contains("model_sha256"));
        // ... and rasterised at 144 dpi it shows the PNG export's pixels (text antialiasing aside).
        QVERIFY(runTool(QStringLiteral("pdftoppm"),
                        {QStringLiteral("-r"), QStringLiteral("144"), QStringLiteral("-png"),
                         QStringLiteral("-singlefile"), pdf, dir.filePath(QStringLiteral("fromPdf"))}));
        const QImage fromPdf(dir.filePath(QStringLiteral("fromPdf.png")));
        const QImage ours = figure.rasterize(144);
        QVERIFY(!fromPdf.isNull());
        QVERIFY2(std::abs(fromPdf.width() - ours.width()) <= 1 && std::abs(fromPdf.height() - ours.height()) <= 1,
                 qPrintable(QStringLiteral("%1x%2 vs %3x%4")
                                .arg(fromPdf.width())
                                .arg(fromPdf.height())
                                .arg(ours.width())
                                .arg(ours.height())));
        for (int r = 0; r <= 2; ++r) {
            for (int c = 0; c <= 3; ++c) {
                const QPointF centre = figure.tileRect(r, c).center() * 2.0;
                QVERIFY2(std::abs(gray(fromPdf, centre) - gray(ours, centre)) <= 2,
                         qPrintable(QStringLiteral("tile %1,%2").arg(r).arg(c)));
            }
        }
        // Inside every tile the two rasterisers agree; over the whole figure they differ only where text
        // is antialiased (poppler vs Qt's raster engine; 3.9 grey levels on average measured here).
        for (int r = 0; r <= 2; ++r) {
            for (int c = 0; c <= 3; ++c) {
                const QRect inner = QRectF(figure.tileRect(r, c).topLeft() * 2.0, figure.tileRect(r, c).size() * 2.0)
                                        .toAlignedRect()
                                        .adjusted(2, 2, -2, -2);
                const Diff tile = compare(fromPdf.copy(inner), ours.copy(inner));
                QVERIFY2(tile.mean < 1.0,
                         qPrintable(QStringLiteral("tile %1,%2: mean difference %3").arg(r).arg(c).arg(tile.mean)));
            }
        }
        const Diff d = compare(fromPdf.copy(QRect(QPoint(0, 0), ours.size())), ours);
        QVERIFY2(d.mean < 6.0, qPrintable(QStringLiteral("mean difference %1").arg(d.mean)));

        // SVG: well-formed XML, an <image> per tile (2 originals + 3 donors + 6 hybrids), seeds as text.
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int images = 0;
        QStringList texts;
        QString description;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("image"))
                ++images;
            else if (xml.name() == QLatin1String("text"))
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            else if (xml.name() == QLatin1String("desc"))
                description = xml.readElementText();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(images, 11);
        QVERIFY(texts.contains(QStringLiteral("z\u2082 = 12")));
        QVERIFY(texts.contains(QStringLiteral("z\u2081 = 4")));
        QVERIFY(description.contains(QStringLiteral("model_sha256")));

        // PNG: the style's DPI (300 by default) and the provenance as a text chunk.
        QImageReader reader(png);
        const QImage pngImage = reader.read();
        QCOMPARE(qRound(pngImage.dotsPerMeterX() * 0.0254), 300);
        QCOMPARE(pngImage.text(QStringLiteral("Description")), provenance);
        QVERIFY(compare(pngImage, figure.rasterize(300)).max == 0);
    }

    void unwritablePathsFailCleanly()
    {
        QTemporaryDir dir;
        const HybridGridFigure figure(constantGrid(), -1.0, 1.0, constantSpec());
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString inFile = dir.filePath(QStringLiteral("file/f.pdf"));
        try {
            FigureWriter::write(inFile, figure, QString());
            QFAIL("no error for a folder that is a file");
        } catch (const lx::Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).startsWith(QStringLiteral("cannot write ") + inFile));
            QVERIFY(!QString::fromUtf8(e.what()).contains(QLatin1Char('\n')));
        }
        QVERIFY_THROWS_EXCEPTION(lx::Error,
                                 FigureWriter::write(dir.filePath(QStringLiteral("f.jpg")), figure, QString()));
        QVERIFY_THROWS_EXCEPTION(lx::Error, FigureWriter::write(dir.path(), figure, QString()));
        // Nothing was left behind: only the blocker file.
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
                 QStringList{QStringLiteral("file")});
        // A failed export keeps an earlier file intact.
        const QString earlier = dir.filePath(QStringLiteral("keep.png"));
        FigureWriter::write(earlier, figure, QString());
        const QByteArray before = [&] {
            QFile f(earlier);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        QVERIFY_THROWS_EXCEPTION(lx::Error, FigureWriter::formatOf(dir.filePath(QStringLiteral("keep.tiff"))));
        const QByteArray after = [&] {
            QFile f(earlier);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        QCOMPARE(after, before);
    }

    // The issue's end-to-end path: default model -> module assays -> grid -> Save Figure; the CLI
    // remakes it from the sidecar session (and from the saved session) with the same pixels.
    void guiExportEqualsCliRender()
    {
        QTemporaryDir dir;
        MainWindow window(QStringLiteral("cpu"), 2);
        window.show();
        QVERIFY(openAndWait(window, defaultModel()));
        auto* assays = window.findChild<ModuleAssaysView*>();
        QVERIFY(assays);
        ModuleGridView* view = assays->gridView();
        FigureMenu* menu = view->figureMenu();
        QVERIFY(!menu->saveAction()->isEnabled()); // nothing to export before a grid exists
        view->moduleBox()->setCurrentIndex(view->moduleBox()->count() - 1); // "Channels…"
        view->layerBox()->setCurrentIndex(view->layerBox()->findText(QStringLiteral("main.5")));
        view->channelsEdit()->setText(QStringLiteral("0-15"));
        view->rowsEdit()->setText(QStringLiteral("0-2"));
        view->colsEdit()->setText(QStringLiteral("3-6"));
        QVERIFY(waitForGrid(view));
        QVERIFY(menu->saveAction()->isEnabled());

        lx::FigureStyle style = menu->figureStyle();
        style.dpi = 150;
        menu->setFigureStyle(style);
        const QString png = dir.filePath(QStringLiteral("grid.png")), pdf = dir.filePath(QStringLiteral("grid.pdf"));
        const QStringList written = menu->saveFigure(png);
        QCOMPARE(written, (QStringList{png, dir.filePath(QStringLiteral("grid.session.json"))}));
        menu->saveFigure(pdf);
        // Recorded in the open session under the file's stem (the second export replaced the first).
        QCOMPARE(window.sessionController()->figures().size(), size_t(1));
        QCOMPARE(window.sessionController()->figures().front().name, std::string("grid"));
        QCOMPARE(window.sessionController()->figures().front().channels.size(), size_t(16));

        // The sidecar session names the model and this figure.
        const lx::Session sidecar = lx::Session::load(dir.filePath(QStringLiteral("grid.session.json")).toStdString());
        QCOMPARE(sidecar.figures.size(), size_t(1));
        QCOMPARE(sidecar.figures[0].rowSeeds, (std::vector<uint64_t>{0, 1, 2}));
        QCOMPARE(sidecar.figures[0].style.dpi, 150.0);

        // CLI render of the sidecar: the same pixels.
        const QString cliPng = dir.filePath(QStringLiteral("cli.png"));
        const QByteArray out =
            cliRun({QStringLiteral("render"), dir.filePath(QStringLiteral("grid.session.json")),
                    QStringLiteral("--out"), cliPng, QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY(out.contains("\"figure\":\"grid\""));
        const Diff d = compare(QImage(png), QImage(cliPng));
        QVERIFY(d.sameSize);
        qInfo("GUI export vs CLI render (PNG, 150 dpi): max difference %d, mean %.5f", d.max, d.mean);
        QVERIFY2(d.max <= 1, qPrintable(QStringLiteral("max difference %1").arg(d.max)));

        // The whole session saved, then rendered by name: the same figure again, as PDF too.
        const QString session = dir.filePath(QStringLiteral("work.json"));
        QVERIFY(window.sessionController()->saveTo(session));
        const QString cliPdf = dir.filePath(QStringLiteral("cli.pdf"));
        QVERIFY(!cliRun({QStringLiteral("render"), session, QStringLiteral("--figure"), QStringLiteral("grid"),
                         QStringLiteral("--out"), cliPdf, QStringLiteral("--device"), QStringLiteral("cpu")})
                     .isEmpty());
        for (const QString& p : {pdf, cliPdf})
            QVERIFY(runTool(QStringLiteral("pdftoppm"),
                            {QStringLiteral("-r"), QStringLiteral("100"), QStringLiteral("-png"),
                             QStringLiteral("-singlefile"), p, p + QStringLiteral(".raster")}));
        const Diff dp =
            compare(QImage(pdf + QStringLiteral(".raster.png")), QImage(cliPdf + QStringLiteral(".raster.png")));
        QVERIFY(dp.sameSize);
        QVERIFY2(dp.max <= 1, qPrintable(QStringLiteral("PDF rasters differ by %1").arg(dp.max)));

        // Copy: the clipboard holds the figure at the style's DPI. Data: the grid's own numbers.
        menu->copyFigure();
        QCOMPARE(QGuiApplication::clipboard()->image().convertToFormat(QImage::Format_RGB888), menu->image());
        const QStringList data = menu->saveData(dir.filePath(QStringLiteral("data")));
        QCOMPARE(data.size(), 5);
        QVERIFY(lx::Npy::read(dir.filePath(QStringLiteral("data/hybrids.npy")).toStdString())
                == view->result().grid.hybrids);

        // An unwritable target: one line, nothing written, nothing recorded.
        QVERIFY_THROWS_EXCEPTION(lx::Error, menu->saveFigure(dir.filePath(QStringLiteral("missing/x.pdf"))));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("missing"))));
        QCOMPARE(window.sessionController()->figures().size(), size_t(1));
    }

    void renderRefusesBadInput()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(LX_CLI_PATH),
                {QStringLiteral("render"), dir.filePath(QStringLiteral("none.json")), QStringLiteral("--out"),
                 dir.filePath(QStringLiteral("x.pdf"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("no such file"));
        p.start(QStringLiteral(LX_CLI_PATH),
                {QStringLiteral("render"), dir.filePath(QStringLiteral("none.json")), QStringLiteral("--out"),
                 dir.filePath(QStringLiteral("x.gif"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("unknown figure format '.gif'"));
    }
};

QTEST_MAIN(TestFigureExport)
#include "test_FigureExport.moc"
