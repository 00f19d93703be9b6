// lx::ui::InfluencePanel and ModulesPanel end to end (offscreen), through the real widgets of the
// main window: influence maps of the analytic quadrant generator (channels 2q, 2q+1 write only to
// quadrant q), the gallery order, module discovery and module selection; the layer cache; maps opened
// from an EIM.npy (with and without a provenance file, a layer switch, and every refusal); and
// cancelling a long job on the bundled DCGAN while the event loop stays responsive.
#include "ui/hybrids/ChannelPanel.h"
#include "ui/compute/ComputeController.h"
#include "ui/influence/EimGallery.h"
#include "ui/widgets/ImageView.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/modules/ModulePlot.h"
#include "ui/modules/ModulesPanel.h"

#include "lx/Array.h"
#include "lx/Npy.h"
#include "lx/Sha256.h"

#include "UiTestSupport.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

using lx::ui::InfluencePanel;
using lx::ui::InfluenceResult;
using lx::ui::MainWindow;
using lx::ui::ModulesPanel;
using namespace lx::ui::test;

namespace {

void selectLayer(MainWindow& window, const QString& name)
{
    const int index = window.summary().layerNames.indexOf(name);
    QVERIFY2(index >= 0, qPrintable(QStringLiteral("no layer %1").arg(name)));
    QTreeWidget* list = window.layerPanel()->list();
    list->setCurrentItem(window.layerPanel()->item(index));
    QCOMPARE(window.layerPanel()->currentLayer(), index);
}

// Clicks Compute and waits for the gallery to show maps.
bool computeMaps(InfluencePanel* panel)
{
    QSignalSpy maps(panel, &InfluencePanel::mapsChanged);
    QTest::mouseClick(panel->computeButton(), Qt::LeftButton);
    return QTest::qWaitFor([&] { return !maps.isEmpty() && !maps.last().first().value<InfluenceResult>().isEmpty(); },
                           kTimeoutMs);
}

std::set<int> parseList(const QString& text)
{
    std::set<int> channels;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        channels.insert(part.trimmed().toInt());
    return channels;
}

// Influence maps in the quadrant generator's pattern, for `channels` channels of side x side maps:
// channel c is c + 1 on quadrant (c / 2) % 4 and 0 elsewhere, so its total is (c + 1) * side^2 / 4.
lx::Array quadrantMaps(int channels = 8, int side = 4)
{
    lx::Array maps({channels, side, side});
    const int half = side / 2;
    for (int c = 0; c < channels; ++c) {
        const int q = (c / 2) % 4;
        for (int y = 0; y < side; ++y) {
            for (int x = 0; x < side; ++x) {
                if (y / half == q / 2 && x / half == q % 2)
                    maps.data()[size_t((c * side + y) * side + x)] = float(c + 1);
            }
        }
    }
    return maps;
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

// <npy>.provenance.json as `latent-explorer-cli merge` writes it.
void writeProvenance(const QString& npy, const QString& command, const QString& sha256, const QString& layer,
                     int shards, int items)
{
    QJsonObject job{{QStringLiteral("command"), command}, {QStringLiteral("layer"), layer}};
    if (!sha256.isEmpty())
        job.insert(QStringLiteral("model_sha256"), sha256);
    const QJsonObject root{{QStringLiteral("tool"), QStringLiteral("latent-explorer-cli 0.1.0")},
                           {QStringLiteral("job"), job},
                           {QStringLiteral("shards"), shards},
                           {QStringLiteral("items"), items},
                           {QStringLiteral("shard_compute_ms"), 1234.5}};
    writeBytes(npy + QStringLiteral(".provenance.json"), QJsonDocument(root).toJson());
}

// An .npy of int64 values (Npy::write only writes float32): [8, 4, 4] of ones.
QByteArray int64Npy()
{
    QByteArray header("{'descr': '<i8', 'fortran_order': False, 'shape': (8, 4, 4), }");
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    bytes += char(header.size() & 0xff);
    bytes += char(header.size() >> 8);
    bytes += header;
    for (int i = 0; i < 8 * 4 * 4; ++i) {
        const qint64 one = 1;
        bytes += QByteArray(reinterpret_cast<const char*>(&one), sizeof one);
    }
    return bytes;
}

// Opens the quadrant generator in a shown window on layer main.1; false when it cannot.
bool openQuadrantGenerator(MainWindow& window)
{
    window.setErrorDialogsEnabled(false);
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window) || !openAndWait(window, fixture(QStringLiteral("quadrant_gen.pt"))))
        return false;
    const int layer = window.summary().layerNames.indexOf(QStringLiteral("main.1"));
    window.layerPanel()->list()->setCurrentItem(window.layerPanel()->item(layer));
    return window.layerPanel()->currentLayer() == layer && window.influencePanel()->hasMaps() == false;
}

} // namespace

class TestInfluencePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_InfluencePanel"));
        lx::ui::registerWorkerTypes();
    }

    void quadrantGeneratorModules()
    {
        const QString model = fixture(QStringLiteral("quadrant_gen.pt"));
        if (!QFileInfo::exists(model))
            QFAIL(qPrintable(QStringLiteral("fixture %1 missing (run make_module_fixtures)").arg(model)));
        MainWindow window(QStringLiteral("cpu"), 1);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, model));
        selectLayer(window, QStringLiteral("main.1"));
        QCOMPARE(window.channelPanel()->channelCount(), 8);

        InfluencePanel* panel = window.influencePanel();
        ModulesPanel* modules = window.modulesPanel();
        QCOMPARE(panel->pairsBox()->value(), 64);
        QCOMPARE(panel->computeAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        QCOMPARE(panel->cancelAction()->shortcut(), QKeySequence(Qt::Key_Escape));
        QVERIFY(!panel->cancelAction()->isEnabled()); // Esc stays free while nothing runs
        QVERIFY(!panel->cancelButton()->isEnabled());
        QVERIFY(!modules->findButton()->isEnabled()); // no maps yet
        QVERIFY(computeMaps(panel));

        // Eight tiles, in descending order of total influence.
        const InfluenceResult& maps = panel->maps();
        lx::ui::EimGallery* gallery = panel->gallery();
        QCOMPARE(maps.channels, 8);
        QCOMPARE(maps.height, 4);
        QCOMPARE(maps.width, 4);
        QCOMPARE(gallery->tileCount(), 8);
        QVector<int> expected{0, 1, 2, 3, 4, 5, 6, 7};
        std::stable_sort(expected.begin(), expected.end(),
                         [&](int a, int b) { return maps.totals[a] > maps.totals[b]; });
        QCOMPARE(gallery->order(), expected);
        for (int t = 0; t + 1 < 8; ++t)
            QVERIFY(maps.totals[gallery->order()[t]] >= maps.totals[gallery->order()[t + 1]]);
        // Each channel's map is its quadrant's: zero elsewhere, positive inside, and sums to its total.
        for (int c = 0; c < 8; ++c) {
            const int q = c / 2;
            double sum = 0.0;
            for (int y = 0; y < 4; ++y) {
                for (int x = 0; x < 4; ++x) {
                    const float v = maps.map(c)[y * 4 + x];
                    const bool inside = (y / 2) == q / 2 && (x / 2) == q % 2;
                    QVERIFY2(inside ? v > 0.0f : v == 0.0f,
                             qPrintable(QStringLiteral("channel %1 pixel (%2, %3) = %4").arg(c).arg(x).arg(y).arg(v)));
                    sum += v;
                }
            }
            QVERIFY(qAbs(sum - maps.totals[c]) <= 1e-4 * std::max(1.0, sum));
        }

        // Hovering a tile names its channel, total and the value under the cursor.
        const QRect first = gallery->tileImageRect(0);
        QVERIFY(!first.isEmpty());
        const QString tip = gallery->toolTipAt(first.center());
        QVERIFY2(tip.contains(QStringLiteral("Channel %1").arg(expected[0])), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Total influence")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Pixel (")), qPrintable(tip));

        // Clicking tiles selects channels in the channel panel (Ctrl adds).
        QTest::mouseClick(gallery, Qt::LeftButton, Qt::NoModifier, first.center());
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>{expected[0]});
        QTest::mouseClick(gallery, Qt::LeftButton, Qt::ControlModifier, gallery->tileImageRect(1).center());
        QVector<int> two{expected[0], expected[1]};
        std::sort(two.begin(), two.end());
        QCOMPARE(window.channelPanel()->selectedChannels(), two);
        QVERIFY(waitForLatestFrame(window));

        // Modules, K = 4: exactly the quadrant pairs.
        QVERIFY(modules->findButton()->isEnabled());
        QCOMPARE(modules->kBox()->value(), 3); // our default
        modules->kBox()->setValue(4);
        QCOMPARE(modules->methodBox()->currentText(), QStringLiteral("NMF"));
        QSignalSpy found(modules, &ModulesPanel::resultChanged);
        QTest::mouseClick(modules->findButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !found.isEmpty(); }, kTimeoutMs));
        QTableWidget* table = modules->table();
        QCOMPARE(table->rowCount(), 4);
        std::set<std::set<int>> groups;
        int rowOf23 = -1;
        for (int r = 0; r < 4; ++r) {
            const std::set<int> members = parseList(table->item(r, 2)->text());
            QCOMPARE(table->item(r, 1)->text().toInt(), static_cast<int>(members.size()));
            groups.insert(members);
            if (members == std::set<int>{2, 3})
                rowOf23 = r;
        }
        const std::set<std::set<int>> quadrants{{0, 1}, {2, 3}, {4, 5}, {6, 7}};
        QVERIFY(groups == quadrants);
        QVERIFY(modules->statusText().contains(QStringLiteral("relative error")));
        QCOMPARE(modules->plot()->moduleCount(), 4);

        // Clicking a module's row selects exactly its channels; the hybrid follows.
        QVERIFY(rowOf23 >= 0);
        const QRect cell = table->visualItemRect(table->item(rowOf23, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(window.channelPanel()->selectedChannels(), (QVector<int>{2, 3}));
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.hybridView()->image() != window.x1View()->image());

        // Clicking a module's heatmap does the same.
        const int other = (rowOf23 + 1) % 4;
        const QRect heat = modules->plot()->templateRect(other);
        QVERIFY(!heat.isEmpty());
        QTest::mouseClick(modules->plot()->canvas(), Qt::LeftButton, Qt::NoModifier, heat.center());
        const std::set<int> members = parseList(table->item(other, 2)->text());
        const QVector<int> selected = window.channelPanel()->selectedChannels();
        QCOMPARE(std::set<int>(selected.begin(), selected.end()), members);
        QCOMPARE(modules->plot()->highlightedModule(), other);

        // Another layer has no maps; coming back shows the cached ones without a new job.
        selectLayer(window, QStringLiteral("main.0"));
        QCOMPARE(panel->gallery()->tileCount(), 0);
        QVERIFY(!modules->findButton()->isEnabled());
        selectLayer(window, QStringLiteral("main.1"));
        QCOMPARE(panel->gallery()->tileCount(), 8);
        QVERIFY(panel->statusText().contains(QStringLiteral("cached")));
        QVERIFY(!panel->isRunning());
        QCOMPARE(activeBatchTaskCount(*window.controller()), 0); // (the new layer's hybrid may be running)
        QCOMPARE(modules->table()->rowCount(), 4); // the modules found for these maps
    }

    void openedMapsShowAndFeedTheModules()
    {
        const QString model = fixture(QStringLiteral("quadrant_gen.pt"));
        if (!QFileInfo::exists(model))
            QFAIL(qPrintable(QStringLiteral("fixture %1 missing (run make_module_fixtures)").arg(model)));
        MainWindow window(QStringLiteral("cpu"), 1);
        QVERIFY(openQuadrantGenerator(window));
        InfluencePanel* panel = window.influencePanel();
        ModulesPanel* modules = window.modulesPanel();
        const int main1 = window.summary().layerNames.indexOf(QStringLiteral("main.1"));
        const int main0 = window.summary().layerNames.indexOf(QStringLiteral("main.0"));
        QVERIFY(main0 >= 0 && main1 >= 0);

        // The action sits in the Analysis menu with a shortcut nothing else in the window uses.
        const QKeySequence keys(Qt::CTRL | Qt::SHIFT | Qt::Key_I);
        QCOMPARE(panel->openAction()->shortcut(), keys);
        QVERIFY(panel->openAction()->isEnabled());
        QVERIFY(panel->openButton()->isEnabled());
        int sameKeys = 0;
        for (const QAction* action : window.findChildren<QAction*>())
            sameKeys += action->shortcuts().contains(keys) ? 1 : 0;
        QCOMPARE(sameKeys, 1);
        bool inAnalysis = false;
        for (const QAction* menu : window.menuBar()->actions()) {
            if (menu->text() == QStringLiteral("&Analysis") && menu->menu())
                inAnalysis = menu->menu()->actions().contains(panel->openAction());
        }
        QVERIFY(inAnalysis);

        // An EIM.npy without provenance: accepted for the current layer, pairs unknown.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString plain = dir.filePath(QStringLiteral("EIM.npy"));
        const lx::Array expected = quadrantMaps();
        lx::Npy::write(plain.toStdString(), expected);
        QSignalSpy mapsChanged(panel, &InfluencePanel::mapsChanged);
        QSignalSpy messages(panel, &InfluencePanel::message);
        QVERIFY2(panel->openMaps(plain),
                 qPrintable(messages.isEmpty() ? QString() : messages.last().first().toString()));
        QCOMPARE(mapsChanged.size(), 1);
        const InfluenceResult maps = panel->maps();
        QCOMPARE(maps.layer, main1);
        QCOMPARE(maps.channels, 8);
        QCOMPARE(maps.height, 4);
        QCOMPARE(maps.width, 4);
        QCOMPARE(maps.pairs, 0);
        QCOMPARE(maps.modelPath, window.summary().path);
        QCOMPARE(maps.modelGeneration, window.summary().generation);
        QCOMPARE(maps.maps, QVector<float>(expected.data().begin(), expected.data().end()));
        QCOMPARE(maps.totals.size(), 8);
        for (int c = 0; c < 8; ++c)
            QCOMPARE(maps.totals[c], 4.0 * (c + 1)); // four pixels of c + 1: exact in double
        QCOMPARE(mapsChanged.first().first().value<InfluenceResult>().maps, maps.maps);
        QCOMPARE(panel->gallery()->tileCount(), 8);
        QCOMPARE(panel->gallery()->order(), (QVector<int>{7, 6, 5, 4, 3, 2, 1, 0}));
        QVERIFY2(panel->statusText().contains(QStringLiteral("pair count unknown")), qPrintable(panel->statusText()));
        QVERIFY2(panel->statusText().contains(QStringLiteral("(EIM.npy)")), qPrintable(panel->statusText()));

        // The Modules panel got them through mapsChanged and finds the quadrant pairs in them.
        QCOMPARE(modules->maps().maps, maps.maps);
        QCOMPARE(modules->mapsLayer(), main1);
        QVERIFY(modules->findButton()->isEnabled());
        modules->kBox()->setValue(4);
        QSignalSpy found(modules, &ModulesPanel::resultChanged);
        QTest::mouseClick(modules->findButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !found.isEmpty(); }, kTimeoutMs));
        std::set<std::set<int>> groups;
        for (int r = 0; r < modules->table()->rowCount(); ++r)
            groups.insert(parseList(modules->table()->item(r, 2)->text()));
        QVERIFY(groups == (std::set<std::set<int>>{{0, 1}, {2, 3}, {4, 5}, {6, 7}}));

        // A merged result with its provenance: the pairs are its items, the status names the shards.
        const QString merged = dir.filePath(QStringLiteral("merged.npy"));
        lx::Npy::write(merged.toStdString(), expected);
        const QString sha = QString::fromStdString(lx::Sha256::fileHex(window.summary().path.toStdString()));
        writeProvenance(merged, QStringLiteral("influence"), sha, QStringLiteral("main.1"), 4, 48);
        mapsChanged.clear();
        QVERIFY(panel->openMaps(merged));
        QCOMPARE(mapsChanged.size(), 1);
        QCOMPARE(panel->maps().pairs, 48);
        QCOMPARE(panel->maps().layer, main1);
        QVERIFY2(panel->statusText().contains(QStringLiteral("48 pairs, merged from 4 shards (merged.npy)")),
                 qPrintable(panel->statusText()));
        QCOMPARE(modules->maps().pairs, 48);

        // A provenance naming another layer of the model: the window selects that layer.
        const QString other = dir.filePath(QStringLiteral("main0.npy"));
        lx::Npy::write(other.toStdString(), expected);
        writeProvenance(other, QStringLiteral("influence"), QString(), QStringLiteral("main.0"), 2, 16);
        QVERIFY(panel->openMaps(other));
        QCOMPARE(window.layerPanel()->currentLayer(), main0);
        QCOMPARE(panel->maps().layer, main0);
        QCOMPARE(panel->maps().pairs, 16);
        QCOMPARE(modules->mapsLayer(), main0);
        // Going back to main.1 shows its most recently opened maps from the cache.
        window.layerPanel()->list()->setCurrentItem(window.layerPanel()->item(main1));
        QCOMPARE(panel->maps().layer, main1);
        QCOMPARE(panel->maps().pairs, 48);
        QVERIFY(panel->statusText().contains(QStringLiteral("cached")));

        // Computing still works afterwards, and opened maps never stand in for computed ones.
        panel->pairsBox()->setValue(48);
        panel->seedBox()->setValue(0);
        QVERIFY(computeMaps(panel));
        QVERIFY(!panel->maps().isOpened());
        QCOMPARE(panel->maps().pairs, 48);
        QCOMPARE(panel->maps().layer, main1);
        QVERIFY(panel->statusText().contains(QStringLiteral("from 48 pairs")));
        QCOMPARE(modules->maps().maps, panel->maps().maps);
    }

    void openedMapsRefusals()
    {
        const QString model = fixture(QStringLiteral("quadrant_gen.pt"));
        if (!QFileInfo::exists(model))
            QFAIL(qPrintable(QStringLiteral("fixture %1 missing (run make_module_fixtures)").arg(model)));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto path = [&](const char* name) { return dir.filePath(QString::fromLatin1(name)); };
        const lx::Array good = quadrantMaps();

        MainWindow window(QStringLiteral("cpu"), 1);
        // Before any model: refused.
        {
            QSignalSpy messages(window.influencePanel(), &InfluencePanel::message);
            lx::Npy::write(path("good.npy").toStdString(), good);
            QVERIFY(!window.influencePanel()->openMaps(path("good.npy")));
            QVERIFY(!messages.isEmpty());
            QVERIFY(messages.last().first().toString().contains(QStringLiteral("no model loaded")));
            QVERIFY(!window.influencePanel()->hasMaps());
        }
        QVERIFY(openQuadrantGenerator(window));
        InfluencePanel* panel = window.influencePanel();
        ModulesPanel* modules = window.modulesPanel();
        QVERIFY(panel->openMaps(path("good.npy")));
        const InfluenceResult before = panel->maps();
        const QString statusBefore = panel->statusText();
        const int layerBefore = window.layerPanel()->currentLayer();

        // Each file and the words its refusal must contain.
        QVector<QPair<QString, QString>> cases;
        const auto add = [&](const char* name, const QString& why) { cases.append({path(name), why}); };

        lx::Array six({6, 4, 4});
        std::fill(six.data().begin(), six.data().end(), 1.0f);
        lx::Npy::write(path("six.npy").toStdString(), six);
        add("six.npy", QStringLiteral("6 maps, but layer main.1 has 8 channels"));

        lx::Npy::write(path("big.npy").toStdString(), quadrantMaps(8, 8));
        add("big.npy", QStringLiteral("maps of size [8, 8], but this model's are [4, 4]"));

        lx::Npy::write(path("flat.npy").toStdString(), good.reshaped({8, 16}));
        add("flat.npy", QStringLiteral("maps of size [16]"));

        lx::Npy::write(path("rank4.npy").toStdString(), good.reshaped({8, 1, 4, 4}));
        add("rank4.npy", QStringLiteral("[channels, H, W] or [channels, F]"));

        lx::Array nan = good;
        nan.data()[size_t(3 * 16 + 5)] = std::nanf("");
        lx::Npy::write(path("nan.npy").toStdString(), nan);
        add("nan.npy", QStringLiteral("NaN or Inf (channel 3, pixel 5)"));

        lx::Array inf = good;
        inf.data()[0] = INFINITY;
        lx::Npy::write(path("inf.npy").toStdString(), inf);
        add("inf.npy", QStringLiteral("NaN or Inf (channel 0, pixel 0)"));

        lx::Array negative = good;
        negative.data()[size_t(2 * 16 + 1)] = -0.5f;
        lx::Npy::write(path("negative.npy").toStdString(), negative);
        add("negative.npy", QStringLiteral("negative value -0.5 (channel 2, pixel 1)"));

        lx::Npy::write(path("othermodel.npy").toStdString(), good);
        writeProvenance(path("othermodel.npy"), QStringLiteral("influence"), QString(64, QLatin1Char('a')),
                        QStringLiteral("main.1"), 4, 64);
        add("othermodel.npy", QStringLiteral("computed for another model file (SHA-256 aaaaaaaaaaaa"));

        lx::Npy::write(path("responses.npy").toStdString(), good);
        writeProvenance(path("responses.npy"), QStringLiteral("responses"), QString(), QStringLiteral("main.1"), 4, 64);
        add("responses.npy", QStringLiteral("provenance is of command \"responses\", not \"influence\""));

        lx::Npy::write(path("nolayer.npy").toStdString(), good);
        writeProvenance(path("nolayer.npy"), QStringLiteral("influence"), QString(), QStringLiteral("main.9"), 4, 64);
        add("nolayer.npy", QStringLiteral("layer \"main.9\", which the loaded model does not have"));

        lx::Npy::write(path("badjson.npy").toStdString(), good);
        writeBytes(path("badjson.npy") + QStringLiteral(".provenance.json"), "{\"job\": ");
        add("badjson.npy", QStringLiteral("not valid JSON"));

        add("missing.npy", QStringLiteral("cannot read"));

        const std::string bytes = lx::Npy::encode(good);
        writeBytes(path("truncated.npy"), QByteArray(bytes.data(), int(bytes.size()) - 10));
        add("truncated.npy", QStringLiteral("truncated"));

        writeBytes(path("int64.npy"), int64Npy());
        add("int64.npy", QStringLiteral("int64"));

        writeBytes(path("text.npy"), "not an array");
        add("text.npy", QStringLiteral("not a .npy file"));

        for (const auto& [file, why] : cases) {
            QSignalSpy mapsChanged(panel, &InfluencePanel::mapsChanged);
            QSignalSpy messages(panel, &InfluencePanel::message);
            QVERIFY2(!panel->openMaps(file), qPrintable(file));
            QCOMPARE(messages.size(), 1);
            const QString text = messages.first().first().toString();
            QVERIFY2(text.startsWith(QStringLiteral("Cannot open influence maps: ")) && text.contains(why),
                     qPrintable(QStringLiteral("%1: \"%2\" lacks \"%3\"").arg(file, text, why)));
            QVERIFY2(!text.contains(QLatin1Char('\n')), qPrintable(text));
            // Nothing shown changed.
            QVERIFY(mapsChanged.isEmpty());
            QCOMPARE(panel->maps().maps, before.maps);
            QCOMPARE(panel->maps().sourcePath, before.sourcePath);
            QCOMPARE(panel->statusText(), statusBefore);
            QCOMPARE(panel->gallery()->tileCount(), 8);
            QCOMPARE(modules->maps().maps, before.maps);
            QCOMPARE(window.layerPanel()->currentLayer(), layerBefore);
        }

        // A panel whose owner does not switch layers refuses maps of another layer.
        QWidget host;
        InfluencePanel standalone(window.controller(), &host);
        standalone.setModel(window.summary());
        standalone.setLayer(layerBefore);
        lx::Npy::write(path("main0.npy").toStdString(), good);
        writeProvenance(path("main0.npy"), QStringLiteral("influence"), QString(), QStringLiteral("main.0"), 1, 8);
        QSignalSpy messages(&standalone, &InfluencePanel::message);
        QSignalSpy requested(&standalone, &InfluencePanel::layerRequested);
        QVERIFY(!standalone.openMaps(path("main0.npy")));
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toInt(), window.summary().layerNames.indexOf(QStringLiteral("main.0")));
        QVERIFY2(messages.last().first().toString().contains(
                     QStringLiteral("maps of layer main.0; select that layer first")),
                 qPrintable(messages.last().first().toString()));
        QVERIFY(!standalone.hasMaps());
        QVERIFY(standalone.openMaps(path("good.npy"))); // the current layer's are fine
        QCOMPARE(standalone.maps().maps, before.maps);
    }

    void cancelStopsTheJobAndUiStaysResponsive()
    {
        const QString model = defaultModel();
        if (!QFileInfo::exists(model))
            QSKIP(qPrintable(QStringLiteral("default model %1 not found: it is trained by the scripts "
                                            "in models/; this test runs once it exists")
                                 .arg(model)));
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, model));
        selectLayer(window, QStringLiteral("main.2"));
        QVERIFY(waitForLatestFrame(window));

        InfluencePanel* panel = window.influencePanel();
        panel->pairsBox()->setValue(512);
        // The panel's task, followed from its start (its signals arrive once the event loop runs).
        TaskRecorder tasks;
        const auto progress = [&] { return tasks.progress(); };
        const auto cancelled = [&] { return tasks.ends(QStringLiteral("cancelled")); };
        const auto ready = [&] { return tasks.ends(QStringLiteral("ready")); };

        // A 10 ms timer on the UI thread: that it ticks while the job computes shows the event loop keeps
        // running (behaviour; the latency and the gaps are timings, reported by tests/bench/bench_storm).
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        ticker.start();

        QTest::mouseClick(panel->computeButton(), Qt::LeftButton);
        QVERIFY(panel->isRunning());
        QVERIFY(panel->cancelButton()->isEnabled());
        QVERIFY(!panel->computeButton()->isEnabled());
        QVERIFY(panel->currentJob());
        const quint64 job = tasks.track(panel->currentJob());
        // Mid-run: two progress reports in, the job not done (512 pairs of a 64-channel layer).
        QVERIFY(QTest::qWaitFor([&] { return progress().size() >= 2; }, kTimeoutMs));
        const int ticksBeforeCancel = ticks;
        const qint64 lastDone = progress().last().done;
        const qint64 total = progress().last().total;
        QVERIFY2(ready().isEmpty() && lastDone < total, "the 512-pair job finished before Cancel could be pressed");

        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !cancelled().isEmpty(); }, kTimeoutMs));
        ticker.stop();
        qInfo("progress signals %lld (last %lld of %lld); UI timer: %d ticks before Cancel",
              static_cast<long long>(progress().size()), lastDone, total, ticksBeforeCancel);
        QCOMPARE(cancelled().size(), 1);
        QCOMPARE(cancelled().first().id, job);
        QVERIFY(ready().isEmpty()); // a cancelled job's result never arrives
        QCOMPARE(tasks.extraEnds(), 0);
        QVERIFY2(ticksBeforeCancel >= 1, "the UI thread's timer never fired while the job computed");
        // Progress only moves forward and stops short of the end.
        qint64 previous = 0;
        for (const TaskRecorder::Progress& p : progress()) {
            QCOMPARE(p.id, job);
            QVERIFY(p.done >= previous);
            previous = p.done;
        }
        QVERIFY(previous < total);
        QVERIFY(!panel->isRunning());
        QVERIFY(!panel->cancelButton()->isEnabled());
        QVERIFY(panel->computeButton()->isEnabled());
        QVERIFY(!panel->hasMaps());

        // A recompute afterwards succeeds (fewer pairs, to keep the test short).
        panel->pairsBox()->setValue(8);
        QVERIFY(computeMaps(panel));
        QCOMPARE(panel->gallery()->tileCount(), 128);
        QCOMPARE(panel->maps().pairs, 8);
        // And the worker still serves hybrids.
        window.channelPanel()->invertSelection();
        QVERIFY(waitForLatestFrame(window));
    }
};

QTEST_MAIN(TestInfluencePanel)
#include "test_InfluencePanel.moc"
