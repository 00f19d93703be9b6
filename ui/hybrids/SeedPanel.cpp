#include "ui/hybrids/SeedPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QSignalBlocker>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <limits>

namespace lx::ui {
namespace {

constexpr int kFirstSeed1 = 1;
constexpr int kFirstSeed2 = 2;

QSpinBox* seedBox(int value, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(0, std::numeric_limits<int>::max());
    box->setValue(value);
    box->setAccelerated(true);
    box->setKeyboardTracking(false); // typing "1234" is one request, not four
    box->setMinimumWidth(110);
    return box;
}

} // namespace

SeedPanel::SeedPanel(QWidget* parent)
    : QWidget(parent)
    , mRandom(QRandomGenerator::securelySeeded())
    , mLast1(kFirstSeed1)
    , mLast2(kFirstSeed2)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(8, 6, 8, 8);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);

    mSeed1 = seedBox(kFirstSeed1, this);
    mSeed2 = seedBox(kFirstSeed2, this);
    mSeed1->setToolTip(tr("Seed of z1: the image the hybrid starts from"));
    mSeed2->setToolTip(tr("Seed of z2: the selected channels are taken from its pass"));
    mNew1 = new QPushButton(tr("New sample"), this);
    mNew2 = new QPushButton(tr("New sample"), this);
    mNew1->setToolTip(tr("Draw a random seed for z1 (Ctrl+1)"));
    mNew2->setToolTip(tr("Draw a random seed for z2 (Ctrl+2)"));
    mSwap = new QPushButton(tr("Swap z1 ⇄ z2"), this);
    mSwap->setToolTip(tr("Exchange the two seeds (Ctrl+3)"));

    grid->addWidget(new QLabel(tr("z1 seed"), this), 0, 0);
    grid->addWidget(mSeed1, 0, 1);
    grid->addWidget(mNew1, 0, 2);
    grid->addWidget(new QLabel(tr("z2 seed"), this), 1, 0);
    grid->addWidget(mSeed2, 1, 1);
    grid->addWidget(mNew2, 1, 2);
    grid->addWidget(mSwap, 2, 1, 1, 2);

    mClassLabel1 = new QLabel(tr("z1 class"), this);
    mClassLabel2 = new QLabel(tr("z2 class"), this);
    mClass1 = new QComboBox(this);
    mClass2 = new QComboBox(this);
    mClass1->setToolTip(tr("The class z1's image is generated with"));
    mClass2->setToolTip(tr("The class z2's image is generated with"));
    mFromDonor = new QCheckBox(tr("Layers after the cut take z2's class"), this);
    mFromDonor->setToolTip(
        tr("Off: everything but the selected channels comes from z1's pass, its class included.\n"
           "On: the class embedding after the layer comes from z2 (a cross-class hybrid)."));
    grid->addWidget(mClassLabel1, 3, 0);
    grid->addWidget(mClass1, 3, 1, 1, 2);
    grid->addWidget(mClassLabel2, 4, 0);
    grid->addWidget(mClass2, 4, 1, 1, 2);
    grid->addWidget(mFromDonor, 5, 0, 1, 3);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(6, 1);
    setClassNames({});

    connect(mSeed1, &QSpinBox::valueChanged, this, &SeedPanel::emitIfChanged);
    connect(mSeed2, &QSpinBox::valueChanged, this, &SeedPanel::emitIfChanged);
    connect(mNew1, &QPushButton::clicked, this, &SeedPanel::newSample1);
    connect(mNew2, &QPushButton::clicked, this, &SeedPanel::newSample2);
    connect(mSwap, &QPushButton::clicked, this, &SeedPanel::swapRequested);
    connect(mClass1, &QComboBox::currentIndexChanged, this, &SeedPanel::classesChanged);
    connect(mClass2, &QComboBox::currentIndexChanged, this, &SeedPanel::classesChanged);
    connect(mFromDonor, &QCheckBox::toggled, this, &SeedPanel::classesChanged);
}

void SeedPanel::setClassNames(const QStringList& names)
{
    const QSignalBlocker b1(mClass1), b2(mClass2);
    mClass1->clear();
    mClass2->clear();
    for (int i = 0; i < names.size(); ++i) {
        mClass1->addItem(QStringLiteral("%1  %2").arg(i).arg(names[i]));
        mClass2->addItem(QStringLiteral("%1  %2").arg(i).arg(names[i]));
    }
    const bool shown = !names.isEmpty();
    for (QWidget* w :
         {static_cast<QWidget*>(mClassLabel1), static_cast<QWidget*>(mClassLabel2), static_cast<QWidget*>(mClass1),
          static_cast<QWidget*>(mClass2), static_cast<QWidget*>(mFromDonor)})
        w->setVisible(shown);
}

int SeedPanel::class1() const { return mClass1->count() ? mClass1->currentIndex() : -1; }
int SeedPanel::class2() const { return mClass2->count() ? mClass2->currentIndex() : -1; }
bool SeedPanel::classFromDonor() const { return mClass1->count() && mFromDonor->isChecked(); }

void SeedPanel::setClasses(int class1, int class2, bool fromDonor)
{
    const QSignalBlocker b1(mClass1), b2(mClass2), b3(mFromDonor);
    const int last = mClass1->count() - 1;
    mClass1->setCurrentIndex(last < 0 ? -1 : std::clamp(class1, 0, last));
    mClass2->setCurrentIndex(last < 0 ? -1 : std::clamp(class2, 0, last));
    mFromDonor->setChecked(fromDonor);
}

quint64 SeedPanel::seed1() const { return static_cast<quint64>(mSeed1->value()); }

quint64 SeedPanel::seed2() const { return static_cast<quint64>(mSeed2->value()); }

void SeedPanel::setSeeds(quint64 seed1, quint64 seed2)
{
    mBatch = true;
    mSeed1->setValue(static_cast<int>(std::min<quint64>(seed1, std::numeric_limits<int>::max())));
    mSeed2->setValue(static_cast<int>(std::min<quint64>(seed2, std::numeric_limits<int>::max())));
    mBatch = false;
    emitIfChanged();
}

void SeedPanel::newSample1() { mSeed1->setValue(randomSeed()); }

void SeedPanel::newSample2() { mSeed2->setValue(randomSeed()); }

int SeedPanel::randomSeed()
{
    // Short seeds are easier to note down and type back in.
    return static_cast<int>(mRandom.bounded(1, 1000000));
}

void SeedPanel::emitIfChanged()
{
    if (mBatch || (seed1() == mLast1 && seed2() == mLast2))
        return;
    mLast1 = seed1();
    mLast2 = seed2();
    Q_EMIT seedsChanged(mLast1, mLast2);
}

} // namespace lx::ui
