#include "recoveryoffer.h"

#include "mainwindow.h"
#include "orphanedrecovery.h"

#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

namespace nc::ui {

RecoveryAnswer askWithDialog(const RecoveryQuestion& question) {
    QMessageBox box(QMessageBox::Warning, QObject::tr("Recover unsaved work"), {});
    const QString what =
        question.originalPath.isEmpty()
            ? QObject::tr("an untitled graph")
            : QStringLiteral("<b>%1</b>")
                  .arg(QFileInfo(question.originalPath).fileName().toHtmlEscaped());
    box.setText(
        QObject::tr("NetCanvas did not close normally. Unsaved changes to %1, autosaved %2, can "
                    "be restored.%3")
            .arg(what, QLocale().toString(question.savedAt, QLocale::ShortFormat),
                 question.count > 1
                     ? QObject::tr(" (%1 of %2)").arg(question.index).arg(question.count)
                     : QString()));
    box.setInformativeText(
        (question.originalPath.isEmpty() ? QString() : question.originalPath + "\n\n") +
        QObject::tr("Restore opens them in a window of their own. Discard deletes them for "
                    "good. Keep for Later leaves them and asks again at the next start."));
    QPushButton* restore = box.addButton(QObject::tr("Restore"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(QObject::tr("Discard"), QMessageBox::DestructiveRole);
    QPushButton* later = box.addButton(QObject::tr("Keep for Later"), QMessageBox::RejectRole);
    box.setDefaultButton(restore);
    box.setEscapeButton(later);
    box.exec();
    if (box.clickedButton() == restore)
        return RecoveryAnswer::Restore;
    if (box.clickedButton() == discard)
        return RecoveryAnswer::Discard;
    return RecoveryAnswer::Later;
}

RecoveryOffer offerRecoveries(const QString& directory, const AskRecovery& ask) {
    RecoveryOffer offer;
    std::vector<OrphanedRecovery> orphans = OrphanedRecovery::claimAll(directory);
    const int count = int(orphans.size());
    for (int i = 0; i < count; ++i) {
        OrphanedRecovery& orphan = orphans[std::size_t(i)];
        QString error;
        std::optional<Recovery> recovered = orphan.load(&error);
        if (!recovered) {
            // Never deleted unread: it may come from a newer version, or be mendable by hand.
            offer.problems.append(QObject::tr("The recovery file %1 could not be read: %2")
                                      .arg(orphan.path(), error));
            orphan.release();
            continue;
        }
        switch (ask({recovered->originalPath, orphan.lastModified(), i + 1, count})) {
        case RecoveryAnswer::Restore: {
            auto window = std::make_unique<MainWindow>(directory);
            if (!window->restore(std::move(*recovered), orphan))
                offer.problems.append(QObject::tr("The restored graph could not be autosaved; "
                                                  "its recovery file %1 is kept.")
                                          .arg(orphan.path()));
            offer.windows.push_back(std::move(window));
            break;
        }
        case RecoveryAnswer::Discard:
            orphan.discard();
            break;
        case RecoveryAnswer::Later:
            orphan.release();
            break;
        }
    }
    return offer;
}

} // namespace nc::ui
