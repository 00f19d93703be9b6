#pragma once
// Dock panel for the two latents of the hybrid: z1 and z2 are drawn from integer seeds
// (lx::LatentSampler), so a pair is reproducible from its two numbers. For a class-conditional model
// (card class_input) it also holds the class of each and which one conditions the layers after the
// cut (z1's, or z2's for Besserve et al.'s cross-class hybrids).
#include <QRandomGenerator>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
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

    // The model's class names; none hides the class controls.
    void setClassNames(const QStringList& names);
    int class1() const; // -1 when the model has no classes
    int class2() const;
    bool classFromDonor() const;
    // Shows the given classes (clamped to the names) without emitting classesChanged.
    void setClasses(int class1, int class2, bool fromDonor);
    QComboBox* classBox1() const { return mClass1; }
    QComboBox* classBox2() const { return mClass2; }
    QCheckBox* donorClassBox() const { return mFromDonor; }

public Q_SLOTS:
    void newSample1(); // a random seed for z1
    void newSample2(); // a random seed for z2

Q_SIGNALS:
    void seedsChanged(quint64 seed1, quint64 seed2);
    void classesChanged(); // a class or the class-after-cut choice changed by the user
    void swapRequested(); // the Swap button: z1 and z2 trade seeds and classes (one step, MainWindow)

private:
    void emitIfChanged();
    int randomSeed();

    QSpinBox* mSeed1 = nullptr;
    QSpinBox* mSeed2 = nullptr;
    QPushButton* mNew1 = nullptr;
    QPushButton* mNew2 = nullptr;
    QPushButton* mSwap = nullptr;
    QLabel* mClassLabel1 = nullptr;
    QLabel* mClassLabel2 = nullptr;
    QComboBox* mClass1 = nullptr;
    QComboBox* mClass2 = nullptr;
    QCheckBox* mFromDonor = nullptr;
    QRandomGenerator mRandom;
    quint64 mLast1 = 0;
    quint64 mLast2 = 0;
    bool mBatch = false;
};

} // namespace lx::ui
