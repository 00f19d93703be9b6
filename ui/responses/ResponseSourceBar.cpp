#include "ui/responses/ResponseSourceBar.h"

#include "ui/responses/ResponseTasks.h"
#include "ui/widgets/ViewSettings.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QVBoxLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <limits>

namespace lx::ui {

ResponseSourceBar::ResponseSourceBar(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* row = new QHBoxLayout;
    row->setSpacing(6);
    mValues = new QComboBox(this);
    mValues->addItem(tr("Aggregate posterior"), int(ValueSource::AggregatePosterior));
    mValues->addItem(tr("Prior N(0, 1)"), int(ValueSource::Prior));
    mValues->setToolTip(
        tr("Base points and intervention values: posterior means of data (the paper's "
           "choice; each dimension takes another sample's value), or prior samples"));
    mData = new QLabel(this);
    mData->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mChoose = new QPushButton(tr("Images…"), this);
    mChoose->setToolTip(
        tr("A .npy of images [M, *output_shape] in the model's output units: their posterior "
           "means are the aggregate posterior"));
    mClear = new QPushButton(tr("Clear"), this);
    for (QPushButton* button : {mChoose, mClear})
        button->setAutoDefault(false);
    mSamples = new QSpinBox(this);
    mSamples->setRange(1, ResponseTasks::kMaxSamples);
    mSamples->setValue(kDefaultSamples);
    mSamples->setAccelerated(true);
    mSamples->setToolTip(tr("Number of base points N the response matrix averages over"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setToolTip(tr("Seed of every random draw (samples, values, images)"));
    row->addWidget(new QLabel(tr("Values from"), this));
    row->addWidget(mValues);
    row->addSpacing(4);
    row->addWidget(new QLabel(tr("Data:"), this));
    row->addWidget(mData, 1);
    row->addWidget(mChoose);
    row->addWidget(mClear);
    row->addSpacing(4);
    row->addWidget(new QLabel(tr("Samples"), this));
    row->addWidget(mSamples);
    row->addWidget(new QLabel(tr("Seed"), this));
    row->addWidget(mSeed);
    layout->addLayout(row);
    mNote = new QLabel(this);
    mNote->setWordWrap(true);
    mNote->setStyleSheet(QStringLiteral("color: #b35c00;"));
    layout->addWidget(mNote);

    connect(mValues, &QComboBox::currentIndexChanged, this, [this] {
        updateNote();
        Q_EMIT changed();
    });
    connect(mSamples, &QSpinBox::valueChanged, this, &ResponseSourceBar::changed);
    connect(mSeed, &QSpinBox::valueChanged, this, &ResponseSourceBar::changed);
    connect(mChoose, &QPushButton::clicked, this, &ResponseSourceBar::chooseImages);
    connect(mClear, &QPushButton::clicked, this, [this] { setImagesPath(QString()); });
    updateNote();
}

void ResponseSourceBar::setModelInfo(const ResponseModelInfo& info)
{
    mDataset = info.datasetUsable ? info.dataset : QString();
    updateNote();
    Q_EMIT changed();
}

void ResponseSourceBar::setValueSource(ValueSource source) { mValues->setCurrentIndex(mValues->findData(int(source))); }

void ResponseSourceBar::setImagesPath(const QString& path)
{
    mImagesPath = path;
    updateNote();
    Q_EMIT changed();
}

ResponseDataSource ResponseSourceBar::source() const
{
    ResponseDataSource source;
    source.values = static_cast<ValueSource>(mValues->currentData().toInt());
    source.dataset = mDataset;
    source.imagesPath = mDataset.isEmpty() ? mImagesPath : QString();
    source.samples = mSamples->value();
    source.seed = static_cast<quint64>(mSeed->value());
    return source;
}

QString ResponseSourceBar::noteText() const { return mNote->text(); }

void ResponseSourceBar::chooseImages()
{
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Images for the Aggregate Posterior"),
                                                      settings.value(QStringLiteral("lastImagesDir")).toString(),
                                                      tr("NumPy arrays (*.npy);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastImagesDir"), QFileInfo(path).absolutePath());
    setImagesPath(path);
}

void ResponseSourceBar::updateNote()
{
    const bool aggregate = static_cast<ValueSource>(mValues->currentData().toInt()) == ValueSource::AggregatePosterior;
    if (!mDataset.isEmpty()) {
        mData->setText(tr("dataset %1 (from the card)").arg(mDataset));
        mData->setToolTip(tr("Random images of %1, encoded: their posterior means").arg(mDataset));
    } else if (!mImagesPath.isEmpty()) {
        mData->setText(QFileInfo(mImagesPath).fileName());
        mData->setToolTip(mImagesPath);
    } else {
        mData->setText(tr("none"));
        mData->setToolTip(tr("The card names no dataset: choose a .npy of images"));
    }
    mChoose->setEnabled(mDataset.isEmpty());
    mClear->setEnabled(mDataset.isEmpty() && !mImagesPath.isEmpty());
    const bool hasData = !mDataset.isEmpty() || !mImagesPath.isEmpty();
    mNote->setText(aggregate && !hasData
                       ? tr("No data for the aggregate posterior (the card names no dataset): the prior is "
                            "used instead. Choose a .npy of images to use the aggregate posterior.")
                       : QString());
    mNote->setVisible(!mNote->text().isEmpty());
}

QJsonObject ResponseSourceBar::sessionJson() const
{
    const bool prior = static_cast<ValueSource>(mValues->currentData().toInt()) == ValueSource::Prior;
    QJsonObject o;
    o.insert(QStringLiteral("values"), prior ? QStringLiteral("prior") : QStringLiteral("aggregate_posterior"));
    o.insert(QStringLiteral("images"), mImagesPath);
    return viewSettings().toJson(o);
}

void ResponseSourceBar::restoreSessionJson(const QJsonObject& json)
{
    const QString values = json.value(QStringLiteral("values")).toString();
    if (values == QStringLiteral("prior") || values == QStringLiteral("aggregate_posterior"))
        setValueSource(values == QStringLiteral("prior") ? ValueSource::Prior : ValueSource::AggregatePosterior);
    if (json.contains(QStringLiteral("images")))
        setImagesPath(json.value(QStringLiteral("images")).toString());
    viewSettings().restore(json);
}

ViewSettings ResponseSourceBar::viewSettings() const
{
    return ViewSettings().add(QStringLiteral("samples"), mSamples).add(QStringLiteral("seed"), mSeed);
}

} // namespace lx::ui
