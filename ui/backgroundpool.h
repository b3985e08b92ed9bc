#pragma once
// The thread pool for the window's long background work (reading run folders, loading data
// previews, probing devices, probes and evaluations). Not QThreadPool::globalInstance():
// Qt's raster engine fills large areas on that pool and waits for it, so a busy global pool
// stalls painting.
//
// runLatest() is the pattern most views need: compute off the GUI thread on one core, then
// show the result on the GUI thread, unless the view is gone or asked again meanwhile.
//
//   runLatest(this, &View::m_generation, [graph] { return draw(graph); },
//             [](View& view, const Drawn& drawn) { view.show(drawn); });

#include "engine/threading.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

#include <memory>

namespace nc::ui {

QThreadPool& backgroundPool();

// True once the application is quitting: long work on the pool polls it and stops early, so
// that quitting, which waits for the pool, does not wait for it to finish.
bool backgroundPoolQuitting();

// `work()` runs on the pool with one core (a view must not crowd out the window or a
// training run); `done(owner, result)` then runs on the GUI thread if `owner` still exists
// and `owner->*generation` has not moved on. Bumps the generation.
template <class Owner, class Work, class Done>
void runLatest(Owner* owner, quint64 Owner::*generation, Work work, Done done) {
    const quint64 mine = ++(owner->*generation);
    QPointer<Owner> self(owner);
    backgroundPool().start(
        [self, mine, generation, work = std::move(work), done = std::move(done)]() mutable {
            engine::ThreadScope oneThread(1);
            auto result = std::make_shared<decltype(work())>(work());
            QMetaObject::invokeMethod(
                qApp,
                [self, mine, generation, result, done] {
                    if (self && (*self).*generation == mine)
                        done(*self, *result);
                },
                Qt::QueuedConnection);
        });
}

} // namespace nc::ui
