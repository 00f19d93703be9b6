// The Explore tab driven as a user would, offscreen: its strip, preview and sample grid are
// compared pixel for pixel with core's lx::Exploration on a second copy of the model; a 200-step slider
// drag ends on the right frame; the PNG-sequence export is complete or absent.
#include "ui/explore/ChannelStatsView.h"
#include "ui/explore/DirectionsPanel.h"
#include "ui/explore/ExploreTasks.h"
#include "ui/explore/ExploreView.h"
#include "ui/figure/FrameSequenceWriter.h"
#include "ui/figure/ImageConvert.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/SessionController.h"
#include "ui/compute/TaskBar.h"

#include "lx/ChannelStats.h"
#include "lx/Error.h"
#include "lx/Exploration.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/PcaDirections.h"

#include "UiTestSupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QImageReader>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace lx::ui;
using namespace lx::ui::test;

namespace {

struct Reference {
    std::unique_ptr<lx::Model> model = lx::Model::load(defaultModel().toStdString());
    lx::Array z(quint64 seed, double truncation = 0.0) const
    {
        return lx::LatentSampler(model->card().latentShape).sample({seed}, truncation);
    }
    QImage image(const lx::Array& batch, int64_t i) const
    {
        return ImageConvert::fromBatch(batch, i, model->card().outputLow, model->card().outputHigh,
                                       model->outputShape());
    }
};

lx::LayerEdit ablateEdit(std::vector<int> channels)
{
    lx::LayerEdit edit;
    lx::Intervention ablate;
    ablate.op = lx::EditOp::Ablate;
    ablate.channels = std::move(channels);
    edit.interventions.push_back(ablate);
    return edit;
}

} // namespace

class TestExploreView : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> mWindow;
    ExploreView* mView = nullptr;
    Reference mRef;

    bool waitFor(void (ExploreView::*signal)(), const std::function<void()>& action)
    {
        QSignalSpy spy(mView, signal);
        action();
        return !spy.isEmpty() || spy.wait(kTimeoutMs); // it may have come during action()
    }

private Q_SLOTS:
    void initTestCase()
    {
        mWindow = std::make_unique<MainWindow>(QStringLiteral("cpu"), 2);
        mWindow->show();
        QVERIFY(openAndWait(*mWindow, defaultModel()));
        mView = mWindow->exploreView();
        QVERIFY(mView);
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { mWindow->showExplore(); }));
        QTRY_VERIFY_WITH_TIMEOUT(!mView->interpolation().frames.isEmpty(), kTimeoutMs);
    }

    void stripEndsAtTheTwoSamples()
    {
        const WorkbenchTransform& t = mView->transform();
        const InterpolationData& data = mView->interpolation();
        QCOMPARE(data.frames.size(), 9);
        QCOMPARE(mView->strip()->rowCount(), 1);
        QCOMPARE(mView->strip()->columnCaptions().first(), QStringLiteral("0.00"));
        QCOMPARE(data.frames.first(), mRef.image(mRef.model->generate(mRef.z(t.seed1)), 0));
        QCOMPARE(data.frames.last(), mRef.image(mRef.model->generate(mRef.z(t.seed2)), 0));
        // The middle frame is slerp's midpoint, decoded.
        const lx::Array mid = lx::Exploration::at(mRef.z(t.seed1), mRef.z(t.seed2), 0.5, lx::Interpolation::Spherical);
        QCOMPARE(data.frames[4], mRef.image(mRef.model->generate(mid), 0));
        // Linear and 5 frames: recomputed.
        QVERIFY(waitFor(&ExploreView::interpolationShown, [&] { mView->modeBox()->setCurrentIndex(1); }));
        QVERIFY(waitFor(&ExploreView::interpolationShown, [&] { mView->framesBox()->setValue(5); }));
        QTRY_COMPARE_WITH_TIMEOUT(mView->interpolation().frames.size(), 5, kTimeoutMs);
        const lx::Array quarter =
            lx::Exploration::at(mRef.z(t.seed1), mRef.z(t.seed2), 0.25, lx::Interpolation::Linear);
        QTRY_COMPARE_WITH_TIMEOUT(mView->interpolation().frames[1], mRef.image(mRef.model->generate(quarter), 0),
                                  kTimeoutMs);
        mView->modeBox()->setCurrentIndex(0);
        mView->framesBox()->setValue(9);
    }

    void sliderDragEndsOnTheLastFrame()
    {
        // 200 steps as fast as events go: frames that cannot keep up are dropped, the last one is shown.
        QSlider* slider = mView->slider();
        for (int i = 0; i < 200; ++i)
            slider->setValue((i * 37) % (ExploreView::kSliderTicks + 1));
        slider->setValue(73);
        const WorkbenchTransform& t = mView->transform();
        const lx::Array z = lx::Exploration::at(mRef.z(t.seed1), mRef.z(t.seed2), 0.73, lx::Interpolation::Spherical);
        const QImage expected = mRef.image(mRef.model->generate(z), 0);
        QTRY_VERIFY_WITH_TIMEOUT(mView->previewImage() == expected, kTimeoutMs);
        QCOMPARE(mView->previewT(), 0.73);
        // Nothing older arrives after it.
        QTest::qWait(300);
        QVERIFY(mView->previewImage() == expected);
    }

    void playAnimates()
    {
        const int before = mView->slider()->value();
        mView->playAction()->trigger();
        QVERIFY(mView->playing());
        QTRY_VERIFY_WITH_TIMEOUT(mView->slider()->value() != before, 5000);
        mView->togglePlay();
        QVERIFY(!mView->playing());
    }

    void sampleGridUnderTheTransform()
    {
        WorkbenchTransform t;
        t.layer = mRef.model->requireLayer("main.5");
        t.edit = ablateEdit({0, 1, 2, 3, 4, 5, 6, 7});
        t.seed1 = 5;
        t.seed2 = 6;
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { mView->setTransform(t); }));
        QTRY_VERIFY_WITH_TIMEOUT(!mView->sampleGrid().request.transform.edit.isIdentity(), kTimeoutMs);
        const SampleGridData& grid = mView->sampleGrid();
        QCOMPARE(grid.transformedImages.size(), 16);
        const lx::Array z =
            lx::LatentSampler(mRef.model->card().latentShape).sample(lx::LatentSampler::seedRange(0, 16));
        QVERIFY(grid.originals == mRef.model->generate(z));
        const lx::Array expected = lx::Exploration::transformed(*mRef.model, t.layer, z, mRef.z(6), {}, t.edit);
        QVERIFY(grid.transformed == expected);
        QCOMPARE(grid.transformedImages[3], mRef.image(expected, 3));
        QCOMPARE(mView->gridStrips()->rowCount(), 4); // originals and transformed per row of seeds
        mView->originalsBox()->setChecked(false);
        QCOMPARE(mView->gridStrips()->rowCount(), 2);
        mView->originalsBox()->setChecked(true);

        // Truncation 0.5 and the next page of seeds: the sampler's truncated draws of seeds 16..31.
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { mView->truncationBox()->setValue(0.5); }));
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { mView->nextSeeds(); }));
        QTRY_COMPARE_WITH_TIMEOUT(mView->sampleGrid().request.firstSeed, quint64(16), kTimeoutMs);
        const lx::Array zt =
            lx::LatentSampler(mRef.model->card().latentShape).sample(lx::LatentSampler::seedRange(16, 16), 0.5);
        for (float v : zt.data())
            QVERIFY(std::abs(v) <= 0.5f);
        QVERIFY(mView->sampleGrid().originals == mRef.model->generate(zt));

        // Data export: the arrays behind the grid, the seeds and the provenance.
        QTemporaryDir dir;
        mView->exportGridData(dir.path());
        QVERIFY(lx::Npy::read(dir.filePath(QStringLiteral("transformed.npy")).toStdString())
                == mView->sampleGrid().transformed);
        QFile csv(dir.filePath(QStringLiteral("seeds.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines[0], QByteArray("index,row,col,seed"));
        QCOMPARE(lines[1], QByteArray("0,0,0,16"));
        QCOMPARE(lines[16], QByteArray("15,1,7,31"));
        QFile prov(dir.filePath(QStringLiteral("provenance.json")));
        QVERIFY(prov.open(QIODevice::ReadOnly));
        const QByteArray json = prov.readAll();
        QVERIFY(json.contains("\"truncation\":0.5"));
        QVERIFY(json.contains("\"op\":\"ablate\""));
        QVERIFY_THROWS_EXCEPTION(lx::Error, mView->exportGridData(dir.filePath(QStringLiteral("missing"))));
        const QString png = dir.filePath(QStringLiteral("grid.png"));
        mView->exportGridImage(png);
        QVERIFY(!QImage(png).isNull());
        mView->truncationBox()->setValue(0.0);
        mView->firstSeedBox()->setValue(0);
    }

    void frameSequenceExport()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("interp"));
        QSignalSpy done(mView->taskBar(), &TaskBar::finished);
        mView->exportFrames(folder, 12);
        QVERIFY(!done.isEmpty() || done.wait(kTimeoutMs));
        QVERIFY(done.first().at(1).toBool());
        QDir out(folder);
        QCOMPARE(out.entryList({QStringLiteral("frame_*.png")}, QDir::Files).size(), 12);
        QVERIFY(out.exists(QStringLiteral("provenance.json")));
        QImageReader reader(out.filePath(FrameSequenceWriter::frameName(11)));
        QVERIFY(reader.text(QStringLiteral("Provenance")).contains(QStringLiteral("\"frames\":12")));
        QVERIFY(reader.text(QStringLiteral("Provenance")).contains(QStringLiteral("model_sha256")));
        // The last frame is x(z2) (the transform's seed2, the plain image).
        const QImage last = reader.read().convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(last,
                 mRef.image(mRef.model->generate(mRef.z(mView->transform().seed2)), 0)
                     .convertToFormat(QImage::Format_Grayscale8));
        // No hidden partial folder is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("interp")});
        // An existing folder or a missing parent: one line, nothing written.
        QVERIFY_THROWS_EXCEPTION(lx::Error, mView->exportFrames(folder, 12));
        QVERIFY_THROWS_EXCEPTION(lx::Error, mView->exportFrames(dir.filePath(QStringLiteral("no/such")), 12));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("no"))));
    }

    void gifExport()
    {
        QTemporaryDir dir;
        const QString gif = dir.filePath(QStringLiteral("interp.gif"));
        QSignalSpy done(mView->taskBar(), &TaskBar::finished);
        mView->exportGif(gif, 10, 25);
        QVERIFY(!done.isEmpty() || done.wait(kTimeoutMs));
        QImageReader reader(gif, "gif");
        QCOMPARE(reader.imageCount(), 10);
        QImage frame, last;
        int frames = 0;
        while (reader.read(&frame)) {
            if (frames++ == 0)
                QCOMPARE(reader.nextImageDelay(), 40); // 25 fps, known once a frame is read
            last = frame;
        }
        QCOMPARE(frames, 10);
        // Gray frames keep their levels: the last frame is x(z2) exactly.
        const QImage expected = mRef.image(mRef.model->generate(mRef.z(mView->transform().seed2)), 0);
        QCOMPARE(last.convertToFormat(QImage::Format_Grayscale8), expected.convertToFormat(QImage::Format_Grayscale8));
        QVERIFY_THROWS_EXCEPTION(lx::Error, mView->exportGif(dir.filePath(QStringLiteral("no/x.gif")), 10));
        QVERIFY_THROWS_EXCEPTION(lx::Error, mView->exportGif(gif, 10, 0));
    }

    void writerRefusesAndCleansUp()
    {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(lx::Error, FrameSequenceWriter::write(dir.filePath(QStringLiteral("a")), {}, "{}"));
        // A frame that cannot be written (a null image): the partial folder is removed.
        QVERIFY_THROWS_EXCEPTION(lx::Error,
                                 FrameSequenceWriter::write(dir.filePath(QStringLiteral("b")),
                                                            {QImage(4, 4, QImage::Format_RGB32), QImage()}, "{}"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{});
        try {
            FrameSequenceWriter::write(dir.filePath(QStringLiteral("c")), {}, "{}");
        } catch (const lx::Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("no frames")));
        }
    }

    void channelMapsByHand()
    {
        using N = ChannelStatsView::Normalisation;
        const lx::Array maps({2, 1, 3}, {0.f, 1.f, 2.f, 4.f, 4.f, 4.f});
        const auto gray = [](const QImage& image) {
            QVector<int> v;
            for (int x = 0; x < image.width(); ++x)
                v << qGray(image.pixel(x, 0));
            return v;
        };
        QVector<QImage> per = ChannelStatsView::mapImages(maps, N::PerChannel, 1.0);
        QCOMPARE(gray(per[0]), (QVector<int>{0, 128, 255}));
        QCOMPARE(gray(per[1]), (QVector<int>{128, 128, 128})); // constant: mid-grey
        QVector<QImage> shared = ChannelStatsView::mapImages(maps, N::Shared, 1.0);
        QCOMPARE(gray(shared[0]), (QVector<int>{0, 64, 128}));
        QCOMPARE(gray(shared[1]), (QVector<int>{255, 255, 255}));
        QCOMPARE(gray(ChannelStatsView::mapImages(maps, N::Shared, 2.0)[0]), (QVector<int>{0, 128, 255}));
    }

    void channelViewMatchesCore()
    {
        WorkbenchTransform t;
        t.layer = mRef.model->requireLayer("main.5");
        t.channels = {3, 7, 40};
        t.seed1 = 5;
        t.seed2 = 6;
        ChannelStatsView* view = mView->channelView();
        QSignalSpy shown(view, &ChannelStatsView::shown);
        mView->setTransform(t);
        QTRY_VERIFY_WITH_TIMEOUT(!view->data().channels.isEmpty() && view->data().request.seed1 == 5
                                     && view->data().request.channels == t.channels,
                                 kTimeoutMs);
        const std::vector<int> channels{3, 7, 40};
        const lx::Array h = mRef.model->forwardTo(t.layer, mRef.z(5));
        const auto sample = lx::ChannelStats::of(h, channels);
        const auto batch = lx::ChannelStats::of(
            mRef.model->forwardTo(
                t.layer, lx::LatentSampler(mRef.model->card().latentShape).sample(lx::LatentSampler::seedRange(0, 64))),
            channels);
        const ChannelViewData& d = view->data();
        for (size_t k = 0; k < 3; ++k) {
            QCOMPARE(d.sample[k].mean, sample[k].mean);
            QCOMPARE(d.sample[k].max, sample[k].max);
            QVERIFY(std::abs(d.batch[k].mean - batch[k].mean) < 1e-9);
            QVERIFY(std::abs(d.batch[k].std - batch[k].std) < 1e-9);
            QCOMPARE(d.batch[k].count, int64_t(64 * 8 * 8));
        }
        // The maps are z1's activations of those channels, shown as the table says.
        QCOMPARE(d.maps.shape(), (std::vector<int64_t>{3, 8, 8}));
        QCOMPARE(d.maps.ptr()[64 + 9], h.ptr()[(7 * 8 * 8) + 9]);
        QCOMPARE(view->table()->rowCount(), 3);
        QCOMPARE(view->table()->item(1, 0)->text(), QStringLiteral("7"));
        QCOMPARE(view->table()->item(1, 3)->text(), QString::number(sample[1].max, 'g', 4));
        QCOMPARE(view->strips()->rowCount(), 1);
        // A smaller batch recomputes; the CSV holds the numbers.
        view->batchBox()->setValue(8);
        QTRY_COMPARE_WITH_TIMEOUT(view->data().request.batch, 8, kTimeoutMs);
        const QList<QByteArray> lines = view->csv().split('\n');
        QCOMPARE(lines[0],
                 QByteArray("layer,channel,mean_z1,std_z1,max_z1,mean_batch,std_batch,max_batch,seed1,batch"));
        QVERIFY(lines[1].startsWith("main.5,3," + QByteArray::number(sample[0].mean, 'g', 9) + ","));
        QVERIFY(lines[1].endsWith(",5,8"));
        QTemporaryDir dir;
        view->exportCsv(dir.filePath(QStringLiteral("c.csv")));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("c.csv"))).size() > 0);
        QVERIFY_THROWS_EXCEPTION(lx::Error, view->exportCsv(dir.filePath(QStringLiteral("no/c.csv"))));
        if (!qEnvironmentVariableIsEmpty("LX_GRAB"))
            mView->grab().save(qEnvironmentVariable("LX_GRAB"));
    }

    void pcaDirectionsMatchCore()
    {
        DirectionsPanel* panel = mView->directionsPanel();
        panel->layerBox()->setCurrentIndex(panel->layerBox()->findText(QStringLiteral("main.5")));
        panel->samplesBox()->setValue(200);
        panel->kBox()->setValue(3);
        QSignalSpy ready(panel, &DirectionsPanel::directionsReady);
        panel->compute();
        QVERIFY(!ready.isEmpty() || ready.wait(kTimeoutMs));
        const int layer = mRef.model->requireLayer("main.5");
        const lx::PcaDirectionsResult r = lx::PcaDirections::compute(*mRef.model, layer, 200, 3);
        const lx::PcaDirectionsResult& shown = panel->directions();
        QCOMPARE(shown.sigma.size(), size_t(3));
        for (size_t c = 0; c < 3; ++c)
            QVERIFY(std::abs(shown.sigma[c] - r.sigma[c]) <= 1e-9 * r.sigma[c]);
        QVERIFY(shown.sigma[0] >= shown.sigma[1] && shown.sigma[1] >= shown.sigma[2]);
        QCOMPARE(panel->names(), (QStringList{QStringLiteral("PC1"), QStringLiteral("PC2"), QStringLiteral("PC3")}));
        // +2 sigma on PC1, -1 on PC3: the preview is x(z1 moved along those directions).
        panel->slider(0)->setValue(2 * DirectionsPanel::kTicksPerSigma);
        panel->slider(2)->setValue(-DirectionsPanel::kTicksPerSigma);
        const quint64 seed1 = mView->transform().seed1;
        const QImage expected =
            mRef.image(mRef.model->generate(lx::PcaDirections::apply(mRef.z(seed1), shown, {2.0, 0.0, -1.0})), 0);
        QTRY_VERIFY_WITH_TIMEOUT(panel->previewImage() == expected, kTimeoutMs);
        QVERIFY(expected != mRef.image(mRef.model->generate(mRef.z(seed1)), 0)); // the step shows
        panel->resetAmounts();
        QTRY_VERIFY_WITH_TIMEOUT(panel->previewImage() == mRef.image(mRef.model->generate(mRef.z(seed1)), 0),
                                 kTimeoutMs);
    }

    void sessionKeepsTheExploreState()
    {
        // Named directions, slider amounts and the views' settings survive save -> open.
        DirectionsPanel* panel = mView->directionsPanel();
        QVERIFY(panel->hasDirections());
        panel->nameEdit(0)->setText(QStringLiteral("sleeve length"));
        panel->slider(1)->setValue(15);
        mView->framesBox()->setValue(7);
        mView->truncationBox()->setValue(0.8);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("explore.lxsession"));
        QVERIFY(mWindow->sessionController()->saveTo(path));

        MainWindow second(QStringLiteral("cpu"), 2);
        second.show();
        QSignalSpy ready(second.exploreView()->directionsPanel(), &DirectionsPanel::directionsReady);
        QVERIFY(second.sessionController()->open(path));
        QVERIFY(!ready.isEmpty() || ready.wait(kTimeoutMs));
        DirectionsPanel* back = second.exploreView()->directionsPanel();
        QCOMPARE(back->names().first(), QStringLiteral("sleeve length"));
        QCOMPARE(back->amounts(), panel->amounts());
        QCOMPARE(back->directions().sigma, panel->directions().sigma); // recomputed: deterministic
        QCOMPARE(second.exploreView()->framesBox()->value(), 7);
        QCOMPARE(second.exploreView()->truncationBox()->value(), 0.8);
        QCOMPARE(second.centralTabs()->tabText(second.centralTabs()->currentIndex()), QStringLiteral("Explore"));
        mView->truncationBox()->setValue(0.0);
        mView->framesBox()->setValue(9);
    }

    // A class-conditional one-hot model (graph_biggan, 5 classes): one sample-grid row per class, the
    // interpolation in z1's class, and the class path from class1 to class2 with z1 fixed. The reference
    // is a second copy of the model (whose class weights test_ModelGraph checks against eager PyTorch).
    // Runs last: it leaves the window on that model.
    void classConditionalModel()
    {
        const QString path = fixture(QStringLiteral("graph_biggan.pt"));
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { QVERIFY(openAndWait(*mWindow, path)); }));
        auto ref = lx::Model::load(path.toStdString(), {lx::DeviceChoice::Cpu, 0});
        const lx::LatentSampler sampler(ref->card().latentShape);
        const auto image = [&](const lx::Array& z, const lx::Array& y) {
            return ImageConvert::fromBatch(ref->generate(z, y), 0, ref->card().outputLow, ref->card().outputHigh,
                                           ref->outputShape());
        };
        const auto one = [](float c) { return lx::Array({1}, {c}); };
        QVERIFY(mView->rowPerClassBox()->isVisible() && mView->rowPerClassBox()->isChecked());
        QVERIFY(!mView->rowsBox()->isEnabled());
        QCOMPARE(mView->classPathBox()->count(), 3);

        // The grid: row r is class r, every row the same seeds.
        QTRY_COMPARE_WITH_TIMEOUT(mView->sampleGrid().request.rows, 5, kTimeoutMs);
        const SampleGridData& grid = mView->sampleGrid();
        QVERIFY(grid.request.rowPerClass);
        const int cols = grid.request.cols;
        for (int r : {0, 3, 4}) {
            for (int j : {0, cols - 1}) {
                const lx::Array z = sampler.sample({grid.request.firstSeed + quint64(j)});
                QCOMPARE(grid.originalImages[r * cols + j], image(z, one(float(r))));
            }
        }
        const bool identity = grid.request.transform.edit.isIdentity() && grid.request.transform.channels.isEmpty();
        QCOMPARE(mView->gridStrips()->rowCount(), identity || !mView->originalsBox()->isChecked() ? 5 : 10);

        // The latent path runs in z1's class.
        const WorkbenchTransform& t = mView->transform();
        QCOMPARE(t.class1, 0);
        QCOMPARE(t.class2, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!mView->interpolation().frames.isEmpty(), kTimeoutMs);
        QCOMPARE(mView->interpolation().frames.last(), image(sampler.sample({t.seed2}), one(0)));
        // The class path: z1 fixed, y from e_0 to e_1; the middle frame is the half-and-half mixture.
        QVERIFY(waitFor(&ExploreView::interpolationShown, [&] { mView->classPathBox()->setCurrentIndex(1); }));
        const InterpolationData& data = mView->interpolation();
        QCOMPARE(data.request.classPath, ClassPath::Class);
        const lx::Array z1 = sampler.sample({t.seed1});
        QCOMPARE(data.frames.first(), image(z1, one(0)));
        QCOMPARE(data.frames.last(), image(z1, one(1)));
        QCOMPARE(data.frames[4], image(z1, lx::Array({1, 5}, {0.5f, 0.5f, 0, 0, 0})));
        QCOMPARE(mView->sessionJson().value(QStringLiteral("class_path")).toString(), QStringLiteral("class"));

        // Unticked, the grid's samples all take z1's class and the rows are the spin box's again.
        QVERIFY(waitFor(&ExploreView::gridShown, [&] { mView->rowPerClassBox()->setChecked(false); }));
        QTRY_COMPARE_WITH_TIMEOUT(mView->sampleGrid().request.rows, mView->rowsBox()->value(), kTimeoutMs);
        const SampleGridData& flat = mView->sampleGrid();
        QCOMPARE(flat.originalImages[1], image(sampler.sample({flat.request.firstSeed + 1}), one(0)));

        // An index-encoded model offers the latent path only.
        QVERIFY(openAndWait(*mWindow, fixture(QStringLiteral("graph_cond_dcgan.pt"))));
        QCOMPARE(mView->classPathBox()->count(), 1);
    }

    void cleanupTestCase() { mWindow.reset(); }
};

QTEST_MAIN(TestExploreView)
#include "test_ExploreView.moc"
