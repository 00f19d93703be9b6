#pragma once
// Dock panel for the two latents of the hybrid: z1 and z2 are drawn from integer seeds
// (lx::LatentSampler), so a pair is reproducible from its two numbers.
#include <QRandomGenerator>
#include <QWidget>

class QPushButton;
class QSpinBox;

namespace lx::ui {

class SeedPanel : public QWidget {
    Q_OBJECT
public:
    explicit SeedPanel(QWidget* parent);

    quint64 seed1() const;
    quint64 seed2() const;
    // Sets both seeds; emits seedsChanged once if either changed.
    void setSeeds(quint64 seed1, quint64 seed2);

public Q_SLOTS:
    void newSample1();   // a random seed for z1
    void newSample2();   // a random seed for z2
    void swapSeeds();

Q_SIGNALS:
    void seedsChanged(quint64 seed1, quint64 seed2);

private:
    void emitIfChanged();
    int randomSeed();

    QSpinBox* mSeed1 = nullptr;
    QSpinBox* mSeed2 = nullptr;
    QPushButton* mNew1 = nullptr;
    QPushButton* mNew2 = nullptr;
    QPushButton* mSwap = nullptr;
    QRandomGenerator mRandom;
    quint64 mLast1 = 0;
    quint64 mLast2 = 0;
    bool mBatch = false;
};

} // namespace lx::ui
