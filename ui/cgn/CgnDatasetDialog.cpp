#include "ui/cgn/CgnDatasetDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace lx::ui {

CgnDatasetDialog::CgnDatasetDialog(const CgnExportRequest& defaults, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Counterfactual Dataset"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Counterfactual images as in Sauer & Geiger's generate_data: each mask (a random "
                                "shape class and seed) is combined with several random texture and background "
                                "draws. Writes images/NNNNNN.png, labels.csv (shape, texture and background class "
                                "and seed of every image) and dataset.json. An interrupted export resumes: images "
                                "already in the folder are kept."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    mFolder = new QLineEdit(defaults.folder, this);
    mFolder->setPlaceholderText(tr("an empty or new folder"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setAutoDefault(false);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(mFolder, 1);
    folderRow->addWidget(browse);
    form->addRow(tr("Folder"), folderRow);
    mCount = new QSpinBox(this);
    mCount->setRange(1, 10'000'000);
    mCount->setValue(defaults.count);
    mCount->setToolTip(tr("Number of images N"));
    form->addRow(tr("Images"), mCount);
    mCfs = new QSpinBox(this);
    mCfs->setRange(1, 10'000);
    mCfs->setValue(defaults.cfsPerMask);
    mCfs->setToolTip(tr("Counterfactuals per mask: texture/background draws that share one mask (the paper: 10)"));
    form->addRow(tr("Counterfactuals per mask"), mCfs);
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setValue(static_cast<int>(std::min<quint64>(defaults.seed, std::numeric_limits<int>::max())));
    mSeed->setToolTip(tr("Dataset seed: every class and noise seed follows from it and the image's index"));
    form->addRow(tr("Seed"), mSeed);
    layout->addLayout(form);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    mOk = buttons->button(QDialogButtonBox::Ok);
    mOk->setText(tr("Export"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &CgnDatasetDialog::browse);
    connect(mFolder, &QLineEdit::textChanged, this, &CgnDatasetDialog::updateOk);
    updateOk();
    resize(520, sizeHint().height());
}

CgnExportRequest CgnDatasetDialog::request() const
{
    CgnExportRequest r;
    r.folder = mFolder->text().trimmed();
    r.count = mCount->value();
    r.cfsPerMask = mCfs->value();
    r.seed = static_cast<quint64>(mSeed->value());
    return r;
}

void CgnDatasetDialog::browse()
{
    const QString start = mFolder->text().isEmpty() ? QDir::homePath() : mFolder->text();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset Folder"), start);
    if (!dir.isEmpty())
        mFolder->setText(QDir::toNativeSeparators(dir));
}

void CgnDatasetDialog::updateOk() { mOk->setEnabled(!mFolder->text().trimmed().isEmpty()); }

} // namespace lx::ui
