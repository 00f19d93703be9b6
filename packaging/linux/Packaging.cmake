# Install tree and Debian package: `cmake --install build --prefix DIR` gives a working tree
# (binaries, the bundled models, the export helper, docs, desktop entry, icon, AppStream metadata);
# `cpack -G DEB` (in the build folder) makes a .deb whose runtime dependencies dpkg-shlibdeps finds by
# package name from the binaries (LibTorch, Qt 6, QCustomPlot, spdlog, libpng), plus OpenBLAS.
include(GNUInstallDirs)
set(LX_SHARE ${CMAKE_INSTALL_DATADIR}/latent-explorer)
set(LX_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/latent-explorer)   # not CMAKE_INSTALL_DOCDIR: that follows the project name

# Every bundled model with its sidecar card when it has one; the GUI finds them at ../share/latent-explorer/models.
foreach(model fashion_dcgan fashion_classifier fashion_cgn shapes_vae ctvae_shapes)
  install(FILES ${PROJECT_SOURCE_DIR}/models/${model}.pt DESTINATION ${LX_SHARE}/models)
  if(EXISTS ${PROJECT_SOURCE_DIR}/models/${model}.pt.json)
    install(FILES ${PROJECT_SOURCE_DIR}/models/${model}.pt.json DESTINATION ${LX_SHARE}/models)
  endif()
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/models/lx_export.py ${PROJECT_SOURCE_DIR}/models/CONTRACT.md
        DESTINATION ${LX_SHARE}/python)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${LX_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/models/README.md DESTINATION ${LX_DOCDIR} RENAME MODELS.md)
install(FILES ${PROJECT_SOURCE_DIR}/models/CONTRACT.md DESTINATION ${LX_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/screenshots/ DESTINATION ${LX_DOCDIR}/resources/screenshots
        FILES_MATCHING PATTERN "*.png")
install(FILES ${CMAKE_CURRENT_LIST_DIR}/latent-explorer.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.github.latent_explorer.LatentExplorer.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/latent-explorer.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/latent-explorer.png
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/256x256/apps)

# Man pages made by help2man from the programs' own --help (packaging/linux/make_manpages.sh).
find_program(LX_HELP2MAN help2man)
if(LX_HELP2MAN AND LX_BUILD_GUI)
  set(LX_MAN_DIR ${CMAKE_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${LX_MAN_DIR}/latent-explorer.1.gz ${LX_MAN_DIR}/latent-explorer-cli.1.gz
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/make_manpages.sh $<TARGET_FILE:latent-explorer>
            $<TARGET_FILE:latent-explorer-cli> ${LX_MAN_DIR}
    DEPENDS latent-explorer latent-explorer-cli ${CMAKE_CURRENT_LIST_DIR}/make_manpages.sh
    COMMENT "Man pages from --help (help2man)")
  add_custom_target(manpages ALL DEPENDS ${LX_MAN_DIR}/latent-explorer.1.gz ${LX_MAN_DIR}/latent-explorer-cli.1.gz)
  install(FILES ${LX_MAN_DIR}/latent-explorer.1.gz ${LX_MAN_DIR}/latent-explorer-cli.1.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (apt install help2man)")
endif()

set(CPACK_PACKAGE_NAME latent-explorer)
set(CPACK_PACKAGE_VENDOR "Latent Explorer")
set(CPACK_PACKAGE_CONTACT "Latent Explorer developers <latent-explorer@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Workbench for looking inside deep generative models")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# LibTorch runs on the reference BLAS without it (about 18x slower); fonts for figure labels.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-torch")
include(CPack)
