#pragma once
// The thread pool for the window's long background work (reading run folders, loading data
// previews, probing devices). Not QThreadPool::globalInstance(): Qt's raster engine fills
// large areas on that pool and waits for it, so a busy global pool stalls painting.

class QThreadPool;

namespace nc::ui {

QThreadPool& backgroundPool();

} // namespace nc::ui
