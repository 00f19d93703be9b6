#include "ui/hybrids/ModelPanel.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace lx::ui {
namespace {

QLabel* valueLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

ModelPanel::ModelPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    mName = new QLabel(tr("No model loaded"), this);
    QFont nameFont = mName->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    mName->setFont(nameFont);
    mName->setWordWrap(true);
    layout->addWidget(mName);

    mDescription = valueLabel(this);
    mDescription->setText(
        tr("Open a TorchScript generator or autoencoder with a Latent Explorer "
           "card (File > Open, Ctrl+O)."));
    mDescription->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(mDescription);

    mDetails = new QWidget(this);
    auto* form = new QFormLayout(mDetails);
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignLeft);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(4);
    mKind = valueLabel(mDetails);
    mLatent = valueLabel(mDetails);
    mOutput = valueLabel(mDetails);
    mDevice = valueLabel(mDetails);
    mFile = valueLabel(mDetails);
    form->addRow(tr("Kind"), mKind);
    form->addRow(tr("Latent"), mLatent);
    form->addRow(tr("Output"), mOutput);
    form->addRow(tr("Device"), mDevice);
    form->addRow(tr("File"), mFile);
    mDiscovery = valueLabel(mDetails);
    mDiscovery->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(mDiscovery);
    mDetails->hide();
    layout->addWidget(mDetails);

    mOpen = new QPushButton(tr("Open model…"), this);
    mOpen->setToolTip(tr("Open a TorchScript model with its card (Ctrl+O)"));
    connect(mOpen, &QPushButton::clicked, this, &ModelPanel::openRequested);
    layout->addWidget(mOpen);
    layout->addStretch(1);
}

void ModelPanel::setSummary(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = true;
    mOpen->setEnabled(true);
    showSummary();
}

void ModelPanel::setLoading(const QString& path)
{
    mOpen->setEnabled(false);
    mName->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
}

void ModelPanel::setIdle()
{
    mOpen->setEnabled(true);
    if (mHasModel)
        showSummary();
    else
        mName->setText(tr("No model loaded"));
}

void ModelPanel::showSummary()
{
    const ModelSummary& s = mSummary;
    mDetails->show();
    const QFileInfo file(s.path);
    mName->setText(s.name.isEmpty() ? file.completeBaseName() : s.name);
    mDescription->setText(s.description);
    mDescription->setVisible(!s.description.isEmpty());
    mKind->setText(s.kind);
    mLatent->setText(shapeText(s.latentShape));
    mOutput->setText(tr("%1, range [%2, %3]").arg(shapeText(s.outputShape)).arg(s.outputLow).arg(s.outputHigh));
    mDevice->setText(s.device);
    mFile->setText(file.fileName());
    mFile->setToolTip(s.path);
    mDiscovery->setText(s.discoveryNote);
    mDiscovery->setToolTip(s.discoveryDetails);
}

} // namespace lx::ui
