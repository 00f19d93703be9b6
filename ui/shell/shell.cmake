# The main window, its tabs and menus, sessions and recent models: the one folder that sees every feature.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/MainWindow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/MainWindow.h
  ${CMAKE_CURRENT_LIST_DIR}/MainWindowSession.cpp
  ${CMAKE_CURRENT_LIST_DIR}/MainWindowTabs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RecentModels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RecentModels.h
  ${CMAKE_CURRENT_LIST_DIR}/SessionController.cpp
  ${CMAKE_CURRENT_LIST_DIR}/SessionController.h
  ${CMAKE_CURRENT_LIST_DIR}/SessionHost.h
)
