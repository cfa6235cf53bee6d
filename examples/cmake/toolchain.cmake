# cmake -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake -DTRIPLET=mipsel-linux-gnu [-DURUN=/path/to/urun]
# Debian's cross compiler for TRIPLET builds dynamic programs; urun runs them with the
# matching sysroot from Debian's libc6-<arch>-cross.
set(CMAKE_SYSTEM_NAME Linux)
if(NOT TRIPLET)
  set(TRIPLET mipsel-linux-gnu)
endif()
if(NOT URUN)
  set(URUN urun)
endif()
string(REGEX REPLACE "-.*" "" CMAKE_SYSTEM_PROCESSOR "${TRIPLET}")
set(CMAKE_C_COMPILER ${TRIPLET}-gcc)
set(CMAKE_CROSSCOMPILING_EMULATOR ${URUN} -L /usr/${TRIPLET})
